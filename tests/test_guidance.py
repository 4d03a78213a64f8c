import torch

from fmcgm.vision.guidance import AttentionRecorder, RecordingAttnProcessor, blend


def test_mask_follows_the_changed_tokens():
    rec = AttentionRecorder(size=8, tokens=[1], active=True)
    probs = torch.full((2, 16, 3), 1 / 3)  # batch 1 × 2 heads, 4×4 positions, 3 tokens
    probs[:, :4, :] = torch.tensor([0.05, 0.9, 0.05])  # the top row of positions attends to token 1
    rec.add(probs, heads=2)
    m = rec.mask(threshold=0.5, sharpness=20, dilate=0)
    assert m.shape == (1, 1, 8, 8)
    assert m[0, 0, 0].mean() > 0.9 and m[0, 0, -1].mean() < 0.1


def test_no_tokens_no_mask_and_blend():
    rec = AttentionRecorder(size=4, tokens=[], active=True)
    rec.add(torch.rand(2, 4, 3), heads=2)
    assert rec.mask() is None
    a, b = torch.ones(1, 3, 4, 4), torch.zeros(1, 3, 4, 4)
    m = torch.zeros(1, 1, 4, 4)
    m[..., :2, :] = 1
    out = blend(a, b, m)
    assert out[..., :2, :].eq(1).all() and out[..., 2:, :].eq(0).all()
    assert blend(a, b, None).eq(1).all()


def test_recording_processor_matches_the_default_computation():
    from diffusers.models.attention_processor import Attention, AttnProcessor

    torch.manual_seed(0)
    attn = Attention(query_dim=16, cross_attention_dim=8, heads=2, dim_head=8)
    x, ctx = torch.randn(2, 4, 16), torch.randn(2, 3, 8)
    ref = AttnProcessor()(attn, x, encoder_hidden_states=ctx)
    rec = AttentionRecorder(size=4, tokens=[0], active=True)
    out = RecordingAttnProcessor(rec)(attn, x, encoder_hidden_states=ctx)
    assert rec.count == 1 and rec.total.shape == (2, 1, 4, 4)
    assert torch.allclose(ref, out, atol=1e-6)


def test_unrecorded_attention_runs_fused_and_matches_the_default_computation():
    """Self-attention (never recorded), cross-attention while the recorder is idle, and a masked call take torch's
    fused kernel: the same output as diffusers' classic processor, and nothing recorded."""
    from diffusers.models.attention_processor import Attention, AttnProcessor

    torch.manual_seed(0)
    attn = Attention(query_dim=16, cross_attention_dim=8, heads=2, dim_head=8)
    self_attn = Attention(query_dim=16, heads=4, dim_head=4)
    x, ctx = torch.randn(2, 5, 16), torch.randn(2, 3, 8)
    mask = torch.tensor([[0.0, 0.0, -1e4], [0.0, -1e4, 0.0]])  # additive, one per batch row over the 3 tokens
    idle = AttentionRecorder(size=4, tokens=[0], active=False)
    cases = [(self_attn, {}), (attn, {"encoder_hidden_states": ctx}),
             (attn, {"encoder_hidden_states": ctx, "attention_mask": mask[:, None, :]})]
    for layer, kw in cases:
        ref = AttnProcessor()(layer, x, **kw)
        out = RecordingAttnProcessor(idle)(layer, x, **kw)
        assert torch.allclose(ref, out, atol=1e-6), kw.keys()
    recording = AttentionRecorder(size=4, tokens=[0], active=True)
    assert torch.allclose(AttnProcessor()(self_attn, x), RecordingAttnProcessor(recording)(self_attn, x), atol=1e-6)
    assert idle.count == 0 and recording.count == 0  # self-attention is never recorded
