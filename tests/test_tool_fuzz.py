"""Every tool, fed valid, boundary and malformed arguments: never raises, always valid JSON, never a
non-finite number in an ok result, never a binary value read as its complement."""

import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools import call_tool
from tools.registry import INVALID_JSON

GRAPH = {"edges": [["x", "y"], ["z", "x"], ["z", "y"]]}
QUERY = {"kind": "ate", "treatment": "x", "outcome": "y"}
STATS = [{"event": {"y": 1}, "given": {"x": xv, "z": zv}, "p": p}
         for (xv, zv), p in {(0, 0): 0.1, (0, 1): 0.2, (1, 0): 0.3, (1, 1): 0.5}.items()] + [
    {"event": {"z": 1}, "p": 0.4}]
TOOLS = ["propose_edges", "check_acyclicity", "apply_do", "estimate_effect", "request_clarification", "render_image",
         "infer_from_independences"]


def _finite(obj) -> bool:
    if isinstance(obj, float):
        return math.isfinite(obj)
    if isinstance(obj, dict):
        return all(_finite(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return all(_finite(v) for v in obj)
    return True


def _check(result) -> dict:
    assert isinstance(result, dict) and isinstance(result["ok"], bool)
    json.dumps(result, allow_nan=False)  # valid JSON: no NaN/inf, nothing unserialisable
    if result["ok"]:
        assert _finite(result["data"])
    else:
        assert result["error"]["message"] and result["error"]["code"]
    return result


@pytest.mark.parametrize("field,value", [("treatment_value", 5), ("outcome_value", 3), ("control_value", -1),
                                         ("treatment_value", 0.5), ("outcome_value", "yes")])
def test_estimate_effect_refuses_non_binary_values(field, value):
    res = _check(call_tool("estimate_effect", {"graph": GRAPH, "query": {**QUERY, field: value}, "statements": STATS}))
    assert res["ok"] is False and field in res["error"]["message"]


@pytest.mark.parametrize("where", ["event", "given"])
def test_statement_values_must_be_binary(where):
    bad = {"event": {"y": 1}, "given": {"x": 1}, "p": 0.3}
    bad[where] = {list(bad[where])[0]: 2}
    res = _check(call_tool("estimate_effect", {"graph": GRAPH, "query": QUERY, "statements": [bad]}))
    assert res["ok"] is False and where in res["error"]["message"]


def test_binary_values_are_not_complemented():
    ok = _check(call_tool("estimate_effect", {"graph": GRAPH, "query": QUERY, "statements": STATS}))
    flipped = _check(call_tool("estimate_effect", {"graph": GRAPH, "query": {**QUERY, "treatment_value": 0, "control_value": 1},
                                                   "statements": STATS}))
    assert ok["ok"] and flipped["ok"] and abs(ok["data"]["value"] + flipped["data"]["value"]) < 1e-12


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), {"a": 1}, [1], None])
def test_apply_do_refuses_non_finite_and_non_numbers(value):
    res = _check(call_tool("apply_do", {"graph": GRAPH, "intervention": {"x": value}}))
    assert res["ok"] is False and "intervention" in res["error"]["message"]


def test_probability_over_one_names_the_number():
    res = _check(call_tool("estimate_effect", {"graph": GRAPH, "query": QUERY,
                                               "statements": [*STATS[:-1], {"event": {"z": 1}, "p": 1.3}]}))
    assert res["ok"] is False and "1.3" in res["error"]["message"]


@pytest.mark.parametrize("args", ["{not json", "[1, 2]", "42", '"text"', "", None, 7, [1], {INVALID_JSON: "{x"},
                                  "[" * 5000 + "]" * 5000, json.dumps({"graph": {"edges": [[["x"] * 3]]}})])
@pytest.mark.parametrize("tool", TOOLS)
def test_malformed_arguments_are_error_results(tool, args):
    res = _check(call_tool(tool, args))
    assert res["ok"] is False


def test_deeply_nested_arguments_do_not_exhaust_the_stack():
    deep: dict = {}
    cur = deep
    for _ in range(5000):
        cur["a"] = {}
        cur = cur["a"]
    for tool in TOOLS:
        res = _check(call_tool(tool, deep))
        assert res["ok"] is False and "nested" in res["error"]["message"]
    res = _check(call_tool("estimate_effect", '{"a":' * 100000 + "1" + "}" * 100000))
    assert res["ok"] is False


def test_unknown_tool():
    res = _check(call_tool("drop_tables", {}))
    assert res["error"]["code"] == "unknown_tool"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=8) | st.sampled_from(["x", "y", "z", "ate", "nde", "det_counterfactual", "pendulum", "light"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["graph", "edges", "latent", "query", "kind", "treatment", "outcome", "statements", "event",
                         "given", "p", "intervention", "world", "claim", "treatment_value", "missing", "description",
                         "steps", "factual"]) | st.text(max_size=5), children, max_size=5),
    max_leaves=20)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tool=st.sampled_from([t for t in TOOLS if t != "render_image"]), args=json_values)
def test_fuzzed_arguments_never_raise(tool, args):
    _check(call_tool(tool, args))


valid_stat = st.builds(lambda ev, gv, p: {"event": ev, "given": gv, "p": p},
                       st.dictionaries(st.sampled_from(["x", "y", "z"]), st.integers(-1, 2), min_size=1, max_size=2),
                       st.dictionaries(st.sampled_from(["x", "y", "z"]), st.integers(0, 1), max_size=2),
                       st.floats(-0.5, 1.5) | st.sampled_from([0.0, 1.0, float("nan")]))


@settings(max_examples=80, deadline=None)
@given(kind=st.sampled_from(["marginal", "conditional", "correlation", "ate", "ett", "nde", "nie"]),
       tv=st.integers(-1, 2), ov=st.integers(-1, 2), stats=st.lists(valid_stat, max_size=6))
def test_fuzzed_estimates_are_ok_only_with_valid_values(kind, tv, ov, stats):
    q = {"kind": kind, "treatment": "x", "outcome": "y", "treatment_value": tv, "outcome_value": ov,
         "mediators": ["z"] if kind in ("nde", "nie") else []}
    res = _check(call_tool("estimate_effect", {"graph": GRAPH, "query": q, "statements": stats}))
    if res["ok"]:
        assert tv in (0, 1) and ov in (0, 1)
        assert all(0 <= s["p"] <= 1 and set(s["event"].values()) <= {0, 1} for s in stats)
        if isinstance(res["data"].get("value"), float) and kind in ("marginal", "conditional"):
            assert 0 <= res["data"]["value"] <= 1
