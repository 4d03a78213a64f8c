"""The render_image tool: a counterfactual image of a causal world (plugged into the registry)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fmcgm.worlds import WORLD_NAMES
from tools.schemas import CommittedGraph, GraphSpec, ImageData, ToolResult


class RenderImageArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a key the schema does not name is refused with its name

    # the registry's worlds, listed in the schema a model reads; checked against the registry when called
    world: str = Field(description="the causal world the image shows", json_schema_extra={"enum": list(WORLD_NAMES)})
    intervention: dict[str, str | float] = Field(
        description="concept -> value (a number in the concept's unit, or a value word such as 'far left')")
    image: str | None = Field(default=None, description="optional path of a factual image (else one is sampled)")
    factual: dict[str, float] | None = Field(default=None, description="optional factual concept values")
    graph: Annotated[GraphSpec | None, CommittedGraph] = Field(
        default=None, description="the committed causal graph (must match the world's)")
    seed: int = 0
    steps: int = Field(default=50, ge=1, le=200, description="DDIM steps")
    guidance: bool = Field(default=True, description="Causal Semantic Guidance on/off")
    method: Literal["diffusion", "oracle"] = Field(default="diffusion", description="oracle: the exact renderer")
    out_dir: str | None = Field(default=None, description="a folder inside the output folder")
    scm: dict[str, Any] | None = Field(
        default=None, description="your own causal model over the world's concepts, as `fmcgm render --scm` reads it: "
        '{"concepts": {CONCEPT: {"mechanism": "root|linear|threshold|copy|world", ...}}}; the counterfactual follows it')
    assumptions: list[str] = Field(default_factory=list, max_length=20,
                                   description="what was assumed in reading the SCM (said with the answer)")

    @field_validator("world")
    @classmethod
    def _registered(cls, world: str) -> str:
        from fmcgm import worlds  # read when called: a world registered since import is accepted

        if world not in worlds.WORLD_NAMES:
            raise ValueError(f"unknown world {world!r}; worlds: {', '.join(worlds.WORLD_NAMES)}")
        return world


def render_image(args: RenderImageArgs) -> ToolResult:
    """Render the counterfactual image of a causal world under an intervention: the intervened concept
    and its causal descendants change, everything else stays. The picture is measured against the
    SCM's counterfactual values before it is returned (retried with stronger settings when off);
    the result says whether it passed that check, with the measured numbers, the factual and
    counterfactual concept values, and the paths of the factual, counterfactual, mask and
    side-by-side PNGs."""
    from fmcgm.vision.render import render_counterfactual

    graph = args.graph.model_dump() if args.graph is not None else None
    res = render_counterfactual(args.world, args.intervention, image=args.image, factual=args.factual, seed=args.seed,
                                steps=args.steps, guidance=args.guidance, method=args.method, out_dir=args.out_dir,
                                graph=graph, scm=args.scm)
    what = ", ".join(f"{k}={v:.3g}" for k, v in res.intervention.items())
    errs = ", ".join(f"{k} {v:.1f}%" for k, v in res.effect_error_pct.items())
    verdict = (f"checked: every changed concept within {res.check['tolerance_pct']:g}% of its range, the unchanged "
               "ones where they were, one of each object, nothing else in the frame"
               if res.ok else f"THE PICTURE IS OFF after {len(res.attempts)} attempt(s): " + "; ".join(res.check["problems"]))
    under = ""
    data = res.to_dict()
    if args.scm is not None:
        from fmcgm.worlds import get_world
        from fmcgm.worlds.user_scm import parse_scm

        lines = parse_scm(args.scm, get_world(args.world)).describe()
        under = f" under your SCM ({'; '.join(lines)})"
        data["assumptions"] = [f"the SCM used: {'; '.join(lines)}; every other concept keeps the world's own mechanism",
                               *args.assumptions]
    return ToolResult(ok=True, summary=f"{res.world}: do({what}){under} changes {', '.join(res.changed)}; "
                                       f"measured error {errs}; {verdict}; image {res.paths['side_by_side']}",
                      data=ImageData.model_validate(data))
