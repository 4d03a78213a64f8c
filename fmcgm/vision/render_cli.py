"""``fmcgm render``: one counterfactual picture from the command line, with exit codes and one-line errors.

Exit codes: 0 a picture that passed its self-check; 1 no correct picture (missing weights, or still off
after the bounded retries — said with the measured numbers); 2 bad input (a world, a value, a step count,
an image or an output folder that cannot be used).
"""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fmcgm.errors import FMCGMError, QueryError


def parse_do(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise QueryError(f"cannot read the intervention {text!r}", 'write it as "concept=value", e.g. "light=far left"')
    k, v = text.split("=", 1)
    return k.strip(), v.strip()


def read_interventions(world_name: str, do: list[str]) -> dict[str, str]:
    """The --do options as concept → value; two values for one concept (by any of its names) are refused."""
    from fmcgm.worlds import get_world

    try:
        world = get_world(world_name)
    except FMCGMError:
        world = None  # the render call names the unknown world
    seen: dict[str, tuple[str, str, object]] = {}
    for d in do:
        k, v = parse_do(d)
        key: str = k.lower()
        value: object = v.lower()
        if world is not None:
            try:
                key, value = world.concept(k).name, world.parse_value(k, v)
            except FMCGMError:
                pass  # the render call names the unknown concept or value
        if key in seen and seen[key][2] != value:
            raise QueryError(f"conflicting interventions on {key}: {seen[key][0]}={seen[key][1]} and {k}={v}",
                             "give each concept one --do")
        seen[key] = (k, v, value)
    return {k: v for k, v, _ in seen.values()}


def render_cli(world: str, do: list[str], *, image: str | None, seed: int, steps: int, guidance: bool, oracle: bool,
               out: str | None, as_json: bool, console: Console, scm: str | None = None) -> int:
    from fmcgm.vision.render import MAX_STEPS, RenderFailure, render_counterfactual

    def fail(e: FMCGMError, code: int) -> int:
        """The error on stderr as one line; with --json also as a JSON object on stdout."""
        Console(stderr=True).print(f"[red]error:[/] {escape(e.message)}" + (f" — {escape(e.hint)}" if e.hint else ""),
                                   soft_wrap=True)
        if as_json:
            print(json.dumps({"ok": False, "exit_code": code, "error": e.to_dict()}))
        return code

    if not 1 <= steps <= MAX_STEPS:
        return fail(QueryError(f"--steps must be between 1 and {MAX_STEPS}, got {steps}", "50 is the default"), 2)
    try:
        pairs = read_interventions(world, do)
        res = render_counterfactual(world, pairs, image=image, seed=seed, steps=steps, guidance=guidance,
                                    method="oracle" if oracle else "diffusion", out_dir=out, scm=scm)
    except RenderFailure as e:
        return fail(e, 1)
    except FMCGMError as e:
        return fail(e, 2)
    if as_json:
        print(json.dumps(res.to_dict()))
        return 0 if res.ok else 1
    t = Table(title=f"{res.world}: do({', '.join(f'{k}={v:.3g}' for k, v in res.intervention.items())})")
    for c in ("concept", f"factual ({res.factual_source})", "counterfactual", "measured in image", "error % of range"):
        t.add_column(c)
    for c in res.factual_values:
        t.add_row(c, f"{res.factual_values[c]:.3g}", f"{res.counterfactual_values[c]:.3g}",
                  f"{res.measured.get(c, float('nan')):.3g}",
                  f"{res.effect_error_pct[c]:.1f}" if c in res.effect_error_pct else "unchanged")
    console.print(t)
    for note in res.notes:
        console.print(escape(note), soft_wrap=True)
    for line in res.steps():
        console.print(f"  · {escape(line)}", soft_wrap=True)
    for k, v in res.paths.items():
        console.print(f"{k}: {escape(v)}")
    console.print(f"{res.seconds:.2f} s")
    if not res.ok:
        console.print("[red]the picture is off[/]: " + escape("; ".join(res.check["problems"])), soft_wrap=True)
        return 1
    return 0
