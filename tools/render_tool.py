"""The render_image tool: a counterfactual image of a causal world (plugged into the registry)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.schemas import ToolResult


class RenderImageArgs(BaseModel):
    world: Literal["pendulum", "waterflow"] = Field(description="the causal world the image shows")
    intervention: dict[str, str | float] = Field(
        description="concept -> value (a number in the concept's unit, or a value word such as 'far left')")
    image: str | None = Field(default=None, description="optional path of a factual image (else one is sampled)")
    factual: dict[str, float] | None = Field(default=None, description="optional factual concept values")
    seed: int = 0
    steps: int = Field(default=50, ge=5, le=200, description="DDIM steps")
    guidance: bool = Field(default=True, description="Causal Semantic Guidance on/off")
    method: Literal["diffusion", "oracle"] = Field(default="diffusion", description="oracle: the exact renderer")
    out_dir: str | None = Field(default=None, description="a folder inside the output folder")


def render_image(args: RenderImageArgs) -> ToolResult:
    """Render the counterfactual image of a causal world under an intervention: the intervened concept
    and its causal descendants change, everything else stays. Returns the factual and counterfactual
    concept values, the paths of the factual, counterfactual, mask and side-by-side PNGs, and the
    measured effects."""
    from fmcgm.vision.render import render_counterfactual

    res = render_counterfactual(args.world, args.intervention, image=args.image, factual=args.factual, seed=args.seed,
                                steps=args.steps, guidance=args.guidance, method=args.method, out_dir=args.out_dir)
    what = ", ".join(f"{k}={v:.3g}" for k, v in res.intervention.items())
    errs = ", ".join(f"{k} {v:.1f}%" for k, v in res.effect_error_pct.items())
    return ToolResult(ok=True, summary=f"{res.world}: do({what}) changes {', '.join(res.changed)}; "
                                       f"measured error {errs}; image {res.paths['side_by_side']}",
                      data=res.to_dict())
