"""An instrumental-variable answer checks its own assumptions on the numbers it is given: a Wald ratio outside
[-1, 1] cannot be a risk difference of a binary outcome, and numbers violating Pearl's instrument inequality
cannot come from an instrument.  Either is declined with the reason, never answered."""

from __future__ import annotations

import pytest

from agent.configuration import Settings
from agent.graph import build_graph, run_question

IV_GRAPH = ("{u} has a direct effect on {x} and {y}. {z} has a direct effect on {x}. {x} has a direct effect on {y}. "
            "{u} is unobserved. ")
NAMES = [dict(u="Demand", x="supply", y="price", z="yield per acre"),
         dict(u="Ability", x="education", y="salary", z="proximity to a college")]


def _story(n: dict, py: tuple[float, float], px: tuple[float, float]) -> str:
    return (IV_GRAPH.format(**n)
            + f"For those with low {n['z']}, the probability of high {n['y']} is {py[0]:.0%}. "
            f"For those with high {n['z']}, the probability of high {n['y']} is {py[1]:.0%}. "
            f"For those with low {n['z']}, the probability of high {n['x']} is {px[0]:.0%}. "
            f"For those with high {n['z']}, the probability of high {n['x']} is {px[1]:.0%}. "
            f"Will high {n['x']} increase the chance of high {n['y']}?")


def _ask(tmp_path, q: str) -> dict:
    s = Settings(trace_db=str(tmp_path / "t.sqlite"))
    return run_question(q, settings=s, app=build_graph(settings=s))["answer"]


@pytest.mark.parametrize("names,py,px,ratio", [
    (NAMES[0], (0.20, 0.50), (0.45, 0.55), 3.0),
    (NAMES[1], (0.70, 0.45), (0.30, 0.40), -2.5),
    (NAMES[0], (0.10, 0.40), (0.30, 0.50), 1.5),
])
def test_wald_ratio_outside_minus_one_one_is_declined_with_the_reason(tmp_path, names, py, px, ratio):
    ans = _ask(tmp_path, _story(names, py, px))
    assert ans["outcome"] == "declined" and ans["answer"] is None and ans["value"] is None
    assert f"{ratio:.2f}" in ans["text"] and "[-1, 1]" in ans["text"] and names["z"] in ans["text"]


@pytest.mark.parametrize("names,py,px", [(NAMES[0], (0.78, 0.65), (0.74, 0.26)),
                                        (NAMES[1], (0.30, 0.42), (0.20, 0.60))])
def test_a_wald_ratio_inside_the_range_is_still_answered(tmp_path, names, py, px):
    ans = _ask(tmp_path, _story(names, py, px))
    ratio = (py[1] - py[0]) / (px[1] - px[0])
    assert ans["outcome"] == "answered" and ans["value"] == pytest.approx(ratio)


def _joint_story(n: dict, px: tuple[float, float], py_xz: dict[tuple[int, int], float]) -> str:
    hi = {0: "low", 1: "high"}
    parts = [IV_GRAPH.format(**n)]
    for z in (0, 1):
        parts.append(f"For those with {hi[z]} {n['z']}, the probability of high {n['x']} is {px[z]:.0%}. ")
    for (x, z), p in py_xz.items():
        parts.append(f"For those with {hi[z]} {n['z']} and {hi[x]} {n['x']}, the probability of high {n['y']} is {p:.0%}. ")
    parts.append(f"Will high {n['x']} increase the chance of high {n['y']}?")
    return "".join(parts)


@pytest.mark.parametrize("names", NAMES)
def test_numbers_violating_pearls_instrument_inequality_are_declined(tmp_path, names):
    # P(x=0, y=0 | z=0) = 0.72 and P(x=0, y=1 | z=1) = 0.495: their sum exceeds 1, which no instrument allows,
    # although the Wald ratio (0.55) lies inside [-1, 1]
    q = _joint_story(names, (0.10, 0.50), {(0, 0): 0.20, (0, 1): 0.99, (1, 0): 0.99, (1, 1): 0.01})
    ans = _ask(tmp_path, q)
    assert ans["outcome"] == "declined" and ans["value"] is None
    assert "instrument inequality" in ans["text"] and names["z"] in ans["text"]


def test_numbers_satisfying_the_instrument_inequality_are_answered(tmp_path):
    q = _joint_story(NAMES[0], (0.20, 0.70), {(0, 0): 0.30, (0, 1): 0.30, (1, 0): 0.60, (1, 1): 0.60})
    ans = _ask(tmp_path, q)
    assert ans["outcome"] == "answered" and ans["value"] == pytest.approx(0.30, abs=1e-9)


@pytest.mark.parametrize("py,px,ratio", [((0.20, 0.50), (0.45, 0.55), 3.0), ((0.80, 0.50), (0.26, 0.46), -1.5)])
def test_cladder_worded_instrument_story_with_an_impossible_ratio_is_declined(tmp_path, py, px, ratio):
    q = ("Imagine a self-contained, hypothetical world with only the following conditions, and without any unmentioned "
         "factors or causal relationships: Demand has a direct effect on supply and price. Yield per acre has a direct "
         "effect on supply. Supply has a direct effect on price. Demand is unobserved. "
         f"For farms with reduced crop yield per acre, the probability of increased price is {py[0]:.0%}. "
         f"For farms with increased crop yield per acre, the probability of increased price is {py[1]:.0%}. "
         f"For farms with reduced crop yield per acre, the probability of increased supply is {px[0]:.0%}. "
         f"For farms with increased crop yield per acre, the probability of increased supply is {px[1]:.0%}. "
         "Will increased supply increase the chance of increased price?")
    ans = _ask(tmp_path, q)
    assert ans["outcome"] == "declined" and ans["value"] is None
    assert f"{ratio:.2f}" in ans["text"] and "[-1, 1]" in ans["text"]
