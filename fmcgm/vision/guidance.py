"""Causal Semantic Guidance: the attention-map edit mask and the blend that applies a mask.

Inside the edit mask the denoising follows the counterfactual tokens, outside
it the trajectory is tied to the factual (inverted) one (:func:`blend`).  The
pipeline's default mask is the prediction contrast united with the changed
objects' region (see :mod:`fmcgm.vision.pipeline`); this module provides the
other source, ``mask_mode="attention"``: an attention processor (the standard
diffusers computation, plus recording) stores each cross-attention layer's map
from image positions to concept tokens, and the maps of the concepts an
intervention changes (the intervened node and its descendants whose value
changed), averaged over heads, layers and steps, form a soft spatial mask.  The same processor serves our concept UNet and a
Stable
Diffusion UNet (there the "tokens" are the prompt positions of each concept phrase).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F


@dataclass
class AttentionRecorder:
    size: int  # output map resolution (image or latent side)
    tokens: list[int] = field(default_factory=list)  # token positions whose maps are summed
    batch_slice: slice = field(default_factory=lambda: slice(None))  # rows to record (the conditional half under CFG)
    active: bool = False
    total: torch.Tensor | None = None
    count: int = 0

    def reset(self) -> None:
        self.total, self.count = None, 0

    def add(self, probs: torch.Tensor, heads: int) -> None:
        """probs: (batch*heads, HW, n_tokens) attention probabilities of one cross-attention layer."""
        if not self.active or not self.tokens:
            return
        bh, hw, n = probs.shape
        side = int(round(hw ** 0.5))
        p = probs.reshape(bh // heads, heads, hw, n).mean(1)[self.batch_slice]  # (B, HW, n)
        toks = [t for t in self.tokens if t < n]
        sel = p[..., toks].permute(0, 2, 1).reshape(-1, len(toks), side, side)  # one map per changed token
        sel = F.interpolate(sel.float(), size=(self.size, self.size), mode="bilinear", align_corners=False)
        self.total = sel if self.total is None else self.total + sel
        self.count += 1

    def mask(self, threshold: float = 0.5, sharpness: float = 12.0, dilate: int = 1) -> torch.Tensor | None:
        """Soft mask in [0, 1], (B, 1, size, size): each changed concept's map normalised on its own
        (so a strong map cannot drown a weak one), soft-thresholded, then their union."""
        if self.total is None:
            return None
        m = self.total / self.count
        lo = m.amin(dim=(2, 3), keepdim=True)
        hi = m.amax(dim=(2, 3), keepdim=True)
        m = (m - lo) / (hi - lo + 1e-8)
        m = torch.sigmoid((m - threshold) * sharpness).amax(dim=1, keepdim=True)
        if dilate > 0:
            m = F.max_pool2d(m, kernel_size=2 * dilate + 1, stride=1, padding=dilate)
        return m


class RecordingAttnProcessor:
    """diffusers' attention computation, recording cross-attention probabilities while the recorder asks for them.

    Only a recorded layer needs its probabilities written out (diffusers' classic ``get_attention_scores`` and a
    batched product); every other call (self-attention, which is never recorded, and cross-attention while the
    recorder is idle) runs torch's fused ``scaled_dot_product_attention``, as diffusers' default processor does.
    In a profile of the warm 50-step pendulum render on the 2-core machine, the explicit softmax and products of
    the self-attention were about a quarter of the time. Both paths agree with diffusers' processors to 1e-6
    (tests/test_guidance.py); the README example's picture came out pixel for pixel the same."""

    def __init__(self, recorder: AttentionRecorder):
        self.recorder = recorder

    def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, *args, **kwargs):
        residual = hidden_states
        if attn.spatial_norm is not None:
            hidden_states = attn.spatial_norm(hidden_states, temb)
        input_ndim = hidden_states.ndim
        if input_ndim == 4:
            b, c, h, w = hidden_states.shape
            hidden_states = hidden_states.view(b, c, h * w).transpose(1, 2)
        batch, seq, _ = hidden_states.shape if encoder_hidden_states is None else encoder_hidden_states.shape
        attention_mask = attn.prepare_attention_mask(attention_mask, seq, batch)
        if attn.group_norm is not None:
            hidden_states = attn.group_norm(hidden_states.transpose(1, 2)).transpose(1, 2)
        query = attn.to_q(hidden_states)
        cross = encoder_hidden_states is not None
        if not cross:
            encoder_hidden_states = hidden_states
        elif attn.norm_cross:
            encoder_hidden_states = attn.norm_encoder_hidden_states(encoder_hidden_states)
        key = attn.to_k(encoder_hidden_states)
        value = attn.to_v(encoder_hidden_states)
        if cross and self.recorder.active and self.recorder.tokens:
            query, key, value = attn.head_to_batch_dim(query), attn.head_to_batch_dim(key), attn.head_to_batch_dim(value)
            probs = attn.get_attention_scores(query, key, attention_mask)
            self.recorder.add(probs.detach(), attn.heads)
            hidden_states = attn.batch_to_head_dim(torch.bmm(probs, value))
        else:
            hidden_states = _fused(attn, query, key, value, attention_mask, batch)
        hidden_states = attn.to_out[1](attn.to_out[0](hidden_states))
        if input_ndim == 4:
            hidden_states = hidden_states.transpose(-1, -2).reshape(b, c, h, w)
        if attn.residual_connection:
            hidden_states = hidden_states + residual
        return hidden_states / attn.rescale_output_factor


def _fused(attn, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, mask: torch.Tensor | None,
           batch: int) -> torch.Tensor:
    """(B, N, heads*d) attention output by ``F.scaled_dot_product_attention``, heads split as diffusers'
    ``AttnProcessor2_0`` splits them, with the layer's own scale."""
    heads = attn.heads
    d = query.shape[-1] // heads

    def split(x: torch.Tensor) -> torch.Tensor:
        return x.view(x.shape[0], -1, heads, d).transpose(1, 2)

    if mask is not None:  # prepare_attention_mask made it (B*heads, 1 or N, M)
        mask = mask.view(batch, heads, -1, mask.shape[-1])
    out = F.scaled_dot_product_attention(split(query), split(key), split(value), attn_mask=mask, scale=attn.scale)
    return out.transpose(1, 2).reshape(query.shape[0], -1, heads * d).to(query.dtype)


def install(unet, recorder: AttentionRecorder) -> dict:
    """Put recording processors on every attention layer; returns the previous processors."""
    previous = dict(unet.attn_processors)
    unet.set_attn_processor(RecordingAttnProcessor(recorder))
    return previous


def blend(x_cf: torch.Tensor, x_factual: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    """Inside the mask follow the counterfactual trajectory, outside keep the factual one."""
    if mask is None:
        return x_cf
    return mask * x_cf + (1 - mask) * x_factual
