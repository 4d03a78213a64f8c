import numpy as np
import pytest
from PIL import Image

from fmcgm.language.visual import parse_visual
from tools import call_tool


@pytest.fixture(autouse=True)
def out_root(tmp_path, monkeypatch):
    monkeypatch.setenv("FMCGM_OUTPUT_DIR", str(tmp_path / "out"))
    return tmp_path / "out"


def test_oracle_render_writes_pngs(out_root):
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "far left"}, "method": "oracle"})
    assert r["ok"], r
    d = r["data"]
    assert d["changed"] == ["light_position", "shadow_position", "shadow_length"]
    for k in ("factual", "counterfactual", "mask", "side_by_side"):
        p = d["paths"][k]
        assert p.startswith(str(out_root)) and Image.open(p).size[0] >= 256
    assert all(e < 5 for e in d["effect_error_pct"].values())  # the oracle image measures right


@pytest.mark.parametrize("args,code,needle", [
    ({"world": "pendulum", "intervention": {"colour": "red"}}, "unknown_variable", "colour"),
    ({"world": "pendulum", "intervention": {"light": 500}}, "invalid_query", "outside its range"),
    ({"world": "pendulum", "intervention": {"light": "purple"}}, "invalid_query", "cannot read"),
    ({"world": "pendulum", "intervention": {"light": "left"}, "out_dir": "../../etc"}, "invalid_output",
     "outside the output folder"),
    ({"world": "mars", "intervention": {"light": "left"}}, "invalid_arguments", "world"),
])
def test_render_errors(args, code, needle):
    r = call_tool("render_image", {**args, "method": "oracle"})
    assert not r["ok"] and r["error"]["code"] == code and needle in r["error"]["message"]


def test_unreadable_and_oversized_images(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "image": str(bad), "method": "oracle"})
    assert r["error"]["code"] == "unparseable" and "cannot read" in r["error"]["message"]
    big = tmp_path / "big.png"
    Image.fromarray(np.zeros((2, 5000, 3), np.uint8)).save(big)
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "image": str(big), "method": "oracle"})
    assert "over the 4096 limit" in r["error"]["message"]
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "image": str(tmp_path / "none.png")})
    assert "no image at" in r["error"]["message"]


def test_image_input_uses_an_extractor(tmp_path):
    from fmcgm.worlds import get_world

    w = get_world("pendulum")
    f = w.sample(np.random.default_rng(0))
    p = tmp_path / "f.png"
    Image.fromarray(w.render(f, 64)).save(p)
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"angle": 10}, "image": str(p), "method": "oracle"})
    assert r["ok"], r
    got = r["data"]["factual_values"]
    assert abs(got["light_position"] - f["light_position"]) / w.concept("light_position").span < 0.08


@pytest.mark.parametrize("q,world,do", [
    ("What would the shadow look like if the light were on the far left?", "pendulum", {"light_position": "far left"}),
    ("Show the scene if the pendulum angle were 30 degrees.", "pendulum", {"pendulum_angle": 30.0}),
    ("What would the stream look like if the ball were large?", "waterflow", {"ball_size": "large"}),
])
def test_visual_questions(q, world, do):
    v = parse_visual(q)
    assert v.world == world and v.intervention == do


def test_non_visual_questions_are_left_alone():
    assert parse_visual("Will smoking increase the chance of cancer?") is None


def test_offline_agent_answers_a_visual_question_with_an_image(out_root):
    from agent.graph import run_question

    state = run_question("What would the shadow look like if the light were on the far left?")
    steps = [(s["node"], s["tool"]) for s in state["trace"]]
    tools = [t for n, t in steps if n == "tools"]
    assert tools == ["propose_edges", "check_acyclicity", "apply_do", "render_image"]
    assert steps.index(("commit", None)) < steps.index(("tools", "render_image"))
    ans = state["answer"]
    assert ans["error"] is None, ans
    assert ans["images"]["side_by_side"].startswith(str(out_root))
    assert ans["counterfactual_values"]["light_position"] == pytest.approx(132.3, abs=0.1)


def test_the_result_carries_the_self_check():
    r = call_tool("render_image", {"world": "waterflow", "intervention": {"ball": "large"}, "method": "oracle"})
    d = r["data"]
    assert d["ok"] and d["check"]["ok"] and set(d["check"]["objects"].values()) == {1}
    assert {c["concept"] for c in d["check"]["concepts"]} == set(d["changed"])
    assert d["steps"] and d["steps"][0].startswith("check 1") and "→ ok" in d["steps"][0]
    assert "checked:" in r["summary"]


FULL = {"pendulum_angle": 0.0, "light_position": 90.0, "shadow_position": 10.0, "shadow_length": 3.0}


def test_partial_factual_names_the_missing_concepts():
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "method": "oracle",
                                   "factual": {"pendulum_angle": 0.0, "light_position": 90.0}})
    assert not r["ok"]
    assert r["error"]["message"] == "factual values missing for shadow_position, shadow_length"


@pytest.mark.parametrize("bad,needle", [
    (float("nan"), "the factual shadow_length is nan, not a finite number"),
    (float("inf"), "the factual shadow_length is inf, not a finite number"),
    (-float("inf"), "the factual shadow_length is -inf, not a finite number"),
    (1e9, "the factual shadow_length = 1e+09 is outside its range [3, 12.6] scene units"),
])
def test_non_finite_or_huge_factual_values_are_refused(bad, needle):
    r = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "method": "oracle",
                                   "factual": {**FULL, "shadow_length": bad}})
    assert not r["ok"] and r["error"]["message"] == needle


def test_a_committed_graph_must_match_the_world():
    from fmcgm.worlds import get_world

    edges = [list(e) for e in get_world("pendulum").graph().edges]
    ok = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "method": "oracle",
                                    "graph": {"edges": edges}})
    assert ok["ok"], ok
    wrong = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "method": "oracle",
                                       "graph": {"edges": [*edges, ["shadow_length", "light_position"]]}})
    assert not wrong["ok"] and "shadow_length → light_position" in wrong["error"]["message"]
    short = call_tool("render_image", {"world": "pendulum", "intervention": {"light": "left"}, "method": "oracle",
                                       "graph": {"edges": edges[1:]}})
    assert not short["ok"] and "lacks the edge " + " → ".join(edges[0]) in short["error"]["message"]


def test_the_agent_renders_on_its_committed_graph(out_root):
    from agent.graph import run_question

    state = run_question("What would the stream look like if the ball were large?")
    call = next(s for s in state["trace"] if s.get("tool") == "render_image")
    committed = next(s for s in state["trace"] if s["node"] == "commit")["result"]["graph"]
    assert call["args"]["graph"] == committed
    assert call["result"]["data"]["check"]["concepts"]  # the self-check is in the trace step
