"""`fmcgm eval visual --unseen-scms K`: random SCMs the generator never saw, stratified interventions, the
drawable share, and the command end to end at a toy size."""

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from evals.unseen_scm_eval import BOUNDS, MAX_NOISE, coverage, interventions, random_scm
from fmcgm.cli import app
from fmcgm.worlds import get_world
from fmcgm.worlds.user_scm import MECHANISMS, parse_scm, with_scm


@pytest.mark.parametrize("name", ["pendulum", "waterflow"])
def test_random_scms_are_valid_user_scms(name):
    world = get_world(name)
    kinds = set()
    for seed in range(60):
        spec = random_scm(world, np.random.default_rng(seed))
        user = parse_scm(json.loads(json.dumps(spec)), world)  # the parser a user's file goes through
        assert set(user.mechanisms) == set(world.names)
        assert any(m.parents for m in user.mechanisms.values())
        for m in user.mechanisms.values():
            assert m.kind in MECHANISMS and len(m.parents) <= 2
            assert m.noise <= MAX_NOISE * world.concept(m.concept).span + 1e-9
            kinds.add(m.kind)
        w = with_scm(world, user)
        assert sorted(w.graph().edges) == sorted((p, c) for c, m in user.mechanisms.items() for p in m.parents)
    assert kinds == {"root", "linear", "threshold", "copy"}


def test_interventions_are_stratified_and_in_range():
    world = get_world("pendulum")
    rng = np.random.default_rng(3)
    w = with_scm(world, parse_scm(random_scm(world, rng), world))
    cases = interventions(world, w, 9, rng)
    assert [c["size"] for c in cases] == ["small", "medium", "large"] * 3
    for c in cases:
        lo, hi = BOUNDS[c["size"]]
        concept = world.concept(c["concept"])
        assert lo <= c["move"] <= hi and concept.low <= c["value"] <= concept.high
        assert abs(c["value"] - c["factual"][c["concept"]]) == pytest.approx(c["move"] * concept.span)


def test_coverage_of_independent_combinations():
    cov = coverage("waterflow", n_test=500, n_train=4000)
    assert 0 <= cov["independent"] < cov["mechanism"] <= 1  # the water world trains on its mechanism only
    assert cov["independent_vs_uniform_training"] > cov["independent"]


def test_command_end_to_end(tmp_path):
    grid, out = tmp_path / "grid.png", tmp_path / "r.json"
    r = CliRunner().invoke(app, ["eval", "visual", "--world", "waterflow", "--unseen-scms", "1", "--per-scm", "2",
                                 "--drawable", "0", "--steps", "2", "--grid", str(grid), "--json", str(out)])
    assert r.exit_code == 0, r.output
    rep = json.loads(out.read_text())
    assert rep["n"] == 2 and set(rep["by_size"]) == {"small", "medium", "large"} and "0" in rep["by_scm"]
    assert rep["scms"][0]["mechanisms"] and 0 <= rep["coverage"]["independent"] <= 1
    assert grid.is_file() and "unseen SCMs: waterflow" in r.output


def test_merge_pools_runs():
    from evals.unseen_scm_eval import merge

    def rep(oks):
        recs = [{"scm": i // 2, "index": i, "case": f"c{i}", "concept": "flow", "size": ("small", "large")[i % 2],
                 "move": 0.1, "changed": ["flow"], "ok_first": ok, "ok": ok, "attempts": 1, "problems": [],
                 "objects": {}, "ghost": False, "invariance": 0.1, "mae_vs_oracle": 1.0, "worst_error_pct": 1.0,
                 "seconds": 1.0} for i, ok in enumerate(oks)]
        return {"world": "waterflow", "unseen_scms": len(oks) // 2, "per_scm": 2, "steps": 20, "coverage": {},
                "scms": [{"index": s, "mechanisms": [], "edges": []} for s in range(len(oks) // 2)],
                "drawable": {"independent": {"n": 2, "success_rate": 0.5}, "mechanism": {"n": 2, "success_rate": 1.0}},
                "records": recs}

    m = merge([rep([True, True, False, True]), rep([True, True])])
    assert m["n"] == 6 and m["unseen_scms"] == 3 and m["success_rate"] == pytest.approx(5 / 6)
    assert set(m["by_scm"]) == {"0.0", "0.1", "1.0"} and m["by_scm"]["0.1"]["success_rate"] == 0.5
    assert m["drawable"]["independent"] == {"n": 4, "success_rate": 0.5}


def test_checkpoint_resumes_without_redoing_cases(tmp_path, monkeypatch):
    """An interrupted run keeps its finished cases; the same command again makes only the rest, and the report
    equals an uninterrupted run's. A checkpoint folder of another run is refused, naming the setting."""
    from evals import unseen_scm_eval as ue
    from fmcgm.errors import ConfigError
    from fmcgm.vision.pipeline import CounterfactualPipeline

    calls = {"n": 0}
    real = CounterfactualPipeline.counterfactual

    def counting(self, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 3 and stop["on"]:
            raise KeyboardInterrupt
        return real(self, *a, **kw)

    stop = {"on": True}
    monkeypatch.setattr(CounterfactualPipeline, "counterfactual", counting)
    args = dict(world_name="waterflow", k=2, per_scm=2, seed=5, steps=2, drawable_n=0, retries=False)
    with pytest.raises(KeyboardInterrupt):
        ue.evaluate_unseen(**args, checkpoint=tmp_path / "ck")
    assert len((tmp_path / "ck" / "cases.jsonl").read_text().splitlines()) == 2
    stop["on"], calls["n"] = False, 0
    resumed = ue.evaluate_unseen(**args, checkpoint=tmp_path / "ck", grid_path=tmp_path / "g.png")
    assert calls["n"] == 2  # only the two cases not finished before the interruption
    whole = ue.evaluate_unseen(**args)
    strip = ("seconds", "seconds_total")
    assert [{k: v for k, v in r.items() if k not in strip} for r in resumed["records"]] == \
        [{k: v for k, v in r.items() if k not in strip} for r in whole["records"]]
    assert (tmp_path / "g.png").is_file()
    with pytest.raises(ConfigError, match="seed 5"):
        ue.evaluate_unseen(**{**args, "seed": 6}, checkpoint=tmp_path / "ck")


def test_success_is_split_by_training_support():
    """A counterfactual the world's mechanism produces lies inside the training support; a large ball in water
    lower than the mechanism ever fills (the water-flow misses) lies outside it."""
    from evals.unseen_scm_eval import summarize

    world = get_world("waterflow")
    on = world.sample(np.random.default_rng(0))
    off = {**on, "ball_size": 1.1, "water_level": 0.6}
    recs = [{"scm": 0, "index": i, "case": f"c{i}", "size": "small", "move": 0.1, "ok": ok, "ok_first": ok,
             "attempts": 1, "problems": [], "objects": {}, "ghost": False, "invariance": 0.0, "mae_vs_oracle": 0.0,
             "worst_error_pct": 0.0, "seconds": 1.0, "counterfactual": cf}
            for i, (cf, ok) in enumerate([(on, True), (off, False)])]
    s = summarize(world, recs)["by_support"]
    assert s["inside"] == {"n": 1, "success_rate": 1.0, "success_first": 1.0}
    assert s["outside"]["n"] == 1 and s["outside"]["success_rate"] == 0.0
    assert recs[0]["support_distance"] <= s["radius"] < recs[1]["support_distance"]
