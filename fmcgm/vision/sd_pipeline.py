"""The foundation-model path: the same abduction → action → prediction on a Stable Diffusion model.

The prompt is built from concept phrases ("a pendulum swung far left, light from
the right, ...") whose token spans are known, so the Causal Semantic Guidance
recorder sums the cross-attention maps of exactly the changed concepts' tokens.
Abduction is DDIM inversion of the VAE latent under the factual prompt; the
prediction denoises under the counterfactual prompt with classifier-free
guidance, tied to the factual trajectory outside the mask.

Real weights load from a local path or model id with ``local_files_only`` (no
downloads here); :func:`tiny_pipeline` builds a randomly initialised miniature
from configs so the plumbing is tested offline.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from fmcgm.vision.edit import DDIMEdit, Prediction, changed_concepts, guide
from fmcgm.vision.guidance import AttentionRecorder, install


@dataclass
class PromptSpans:
    text: str
    spans: dict[str, list[int]]  # concept -> token positions in the encoded prompt


def phrase(world, concept: str, value: float) -> str:
    """A short phrase for a concept value: its nearest value word, else the number with its unit."""
    c = world.concept(concept)
    words = sorted(c.value_words.items(), key=lambda kv: abs(kv[1] - value))
    best = words[0] if words else None
    if best and abs(best[1] - value) <= 0.1 * c.span:
        return f"{c.name.replace('_', ' ')} {best[0]}"
    return f"{c.name.replace('_', ' ')} {value:.0f} {c.unit}"


def build_prompt(tokenizer, world, values: Mapping[str, float], prefix: str = "a simple diagram of a") -> PromptSpans:
    parts = [f"{prefix} {world.name} scene"]
    spans: dict[str, list[int]] = {}
    pos = len(tokenizer(parts[0], add_special_tokens=False).input_ids) + 1  # +1: start token
    for c in world.names:
        ph = phrase(world, c, values[c])
        n = len(tokenizer(", " + ph, add_special_tokens=False).input_ids)
        spans[c] = list(range(pos + 1, pos + n))  # skip the comma
        parts.append(ph)
        pos += n
    return PromptSpans(", ".join(parts), spans)


def load_pipeline(model: str, device: str = "cpu"):
    """A Stable Diffusion–family pipeline from a local path or a cached model id (never downloads)."""
    from fmcgm.vision.libraries import diffusers_classes

    DDIMScheduler, StableDiffusionPipeline = diffusers_classes("DDIMScheduler", "StableDiffusionPipeline")
    pipe = StableDiffusionPipeline.from_pretrained(model, local_files_only=True, safety_checker=None)
    pipe.scheduler = DDIMScheduler.from_config(pipe.scheduler.config, clip_sample=False)
    return pipe.to(device)


def tiny_pipeline(seed: int = 0):
    """A randomly initialised miniature SD pipeline built from configs (tests only: no weights, no network)."""
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    from fmcgm.vision.libraries import diffusers_classes

    AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel = diffusers_classes(
        "AutoencoderKL", "DDIMScheduler", "StableDiffusionPipeline", "UNet2DConditionModel")
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(sample_size=8, in_channels=4, out_channels=4, layers_per_block=1,
                                block_out_channels=(32, 64), norm_num_groups=8, cross_attention_dim=32,
                                attention_head_dim=8, down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
                                up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"))
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(16, 32),
                        down_block_types=("DownEncoderBlock2D",) * 2, up_block_types=("UpDecoderBlock2D",) * 2,
                        norm_num_groups=8, sample_size=16)
    text = CLIPTextModel(CLIPTextConfig(vocab_size=1000, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                        num_attention_heads=4, max_position_embeddings=77, bos_token_id=998,
                                        eos_token_id=999, pad_token_id=999))
    tok = CLIPTokenizer(*_tiny_vocab(), model_max_length=77)
    sched = DDIMScheduler(num_train_timesteps=1000, beta_schedule="scaled_linear", beta_start=0.00085,
                          beta_end=0.012, clip_sample=False, set_alpha_to_one=False)
    return StableDiffusionPipeline(vae=vae, text_encoder=text, tokenizer=tok, unet=unet, scheduler=sched,
                                   safety_checker=None, feature_extractor=None, requires_safety_checker=False)


def _tiny_vocab() -> tuple[str, str]:
    """A character-level CLIP BPE vocabulary (no merges), written to a temporary folder."""
    # GPT-2/CLIP's byte-to-unicode table: printable bytes map to themselves, the rest above 255
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    chars = [chr(c) for c in cs]
    vocab = {c: i for i, c in enumerate(chars)}
    for c in chars:
        vocab[c + "</w>"] = len(vocab)
    vocab = {k: v for k, v in vocab.items() if v < 998}
    vocab["<|startoftext|>"], vocab["<|endoftext|>"] = 998, 999
    d = Path(tempfile.mkdtemp(prefix="fmcgm_tok_"))
    (d / "vocab.json").write_text(json.dumps(vocab))
    (d / "merges.txt").write_text("#version: 0.2\n")
    return str(d / "vocab.json"), str(d / "merges.txt")


class SDCounterfactual:
    """Counterfactual editing with Causal Semantic Guidance on a Stable Diffusion pipeline."""

    def __init__(self, pipe, world, device: str = "cpu"):
        self.pipe, self.world, self.device = pipe, world, device
        side = pipe.unet.config.sample_size
        self.recorder = AttentionRecorder(size=side)
        install(pipe.unet, self.recorder)

    def _embed(self, text: str) -> torch.Tensor:
        tok = self.pipe.tokenizer(text, padding="max_length", max_length=self.pipe.tokenizer.model_max_length,
                                  truncation=True, return_tensors="pt")
        return self.pipe.text_encoder(tok.input_ids.to(self.device))[0]

    def _predict(self, x: torch.Tensor, t: int, conditions: list[torch.Tensor]) -> torch.Tensor:
        """The UNet's output at (x, t) under each prompt embedding, in one batch; the attention recorder
        records the second row (the conditional one under guidance), or the only one."""
        self.recorder.batch_slice = slice(None) if len(conditions) == 1 else slice(1, 2)
        n = len(conditions)
        return self.pipe.unet(torch.cat([x] * n), t, encoder_hidden_states=torch.cat(conditions)).sample

    @torch.no_grad()
    def counterfactual(self, image: np.ndarray, factual: Mapping[str, float], intervention: Mapping[str, float],
                       steps: int = 50, strength: float = 0.6, guidance_scale: float = 5.0, csg: bool = True,
                       mask_threshold: float = 0.35) -> dict:
        pipe = self.pipe
        cf = self.world.counterfactual(factual, intervention)
        changed = changed_concepts(self.world, factual, cf, [self.world.concept(k).name for k in intervention],
                                   list(self.world.names))
        token_values = {c: (cf[c] if c in changed else factual[c]) for c in self.world.names}
        p_f = build_prompt(pipe.tokenizer, self.world, factual)
        p_cf = build_prompt(pipe.tokenizer, self.world, token_values)
        e_f, e_cf, e_u = self._embed(p_f.text), self._embed(p_cf.text), self._embed("")
        side = pipe.unet.config.sample_size * pipe.vae_scale_factor
        img = torch.from_numpy(np.asarray(image, dtype=np.float32)).permute(2, 0, 1)[None] / 127.5 - 1
        img = torch.nn.functional.interpolate(img, size=(side, side), mode="bilinear", align_corners=False).to(self.device)
        z = pipe.vae.encode(img).latent_dist.mean * pipe.vae.config.scaling_factor
        # the pipeline's own schedule; inversion starts from the clean latent itself (alpha = 1)
        ddim = DDIMEdit(pipe.scheduler.config, image_at_t0=False)
        ts = ddim.timesteps(steps, strength)
        self.recorder.active = False
        traj = ddim.invert(z, ts, lambda x, t: self._predict(x, t, [e_f]))  # abduction under the factual prompt
        self.recorder.reset()
        self.recorder.tokens = [i for c in changed for i in p_cf.spans.get(c, [])]
        self.recorder.active = csg

        def predict(x: torch.Tensor, t: int) -> Prediction:
            uncond, cond = self._predict(x, t, [e_u, e_cf]).chunk(2)
            return Prediction(guide(uncond, cond, guidance_scale))

        x, mask = ddim.denoise(traj[ts[0]], ts, predict,  # prediction under the counterfactual prompt
                               traj if csg else None, lambda step: self.recorder.mask(mask_threshold))
        self.recorder.active = False
        out = pipe.vae.decode(x / pipe.vae.config.scaling_factor).sample
        arr = ((out.clamp(-1, 1) + 1) * 127.5).round().byte()[0].permute(1, 2, 0).cpu().numpy()
        return {"image": arr, "mask": None if mask is None else mask[0, 0].cpu().numpy(), "changed": changed,
                "prompt_factual": p_f.text, "prompt_counterfactual": p_cf.text, "counterfactual_values": cf,
                "spans": p_cf.spans}
