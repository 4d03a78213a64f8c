from fmcgm.vocabulary import EstimandKind
from tools import call_tool

GRAPH = {"edges": [["Z", "X"], ["Z", "Y"], ["X", "Y"]]}
GOOD = [{"event": {"Y": 1}, "given": {"X": x, "Z": z}, "p": p} for (x, z), p in
        {(0, 0): 0.2, (1, 0): 0.4, (0, 1): 0.5, (1, 1): 0.7}.items()] + [{"event": {"Z": 1}, "p": 0.5}]


def call(name, **args):
    return call_tool(name, args)


def test_propose_edges_from_description_and_edges():
    r = call("propose_edges", description="Rain has a direct effect on traffic and mood. Mood is unobserved.")
    assert r["ok"] and r["data"]["graph"]["edges"] == [["rain", "traffic"], ["rain", "mood"]]
    assert r["data"]["graph"]["latent"] == ["mood"]
    r = call("propose_edges", edges=[["a", "b"], ["b", "a"]])
    assert not r["ok"] and r["error"]["code"] == "cycle" and "a -> b -> a" in r["error"]["message"]


def test_check_acyclicity_names_the_cycle():
    r = call("check_acyclicity", graph={"edges": [["a", "b"], ["b", "c"], ["c", "a"]]})
    assert r["ok"] and not r["data"]["acyclic"] and set(r["data"]["cycle"]) == {"a", "b", "c"}


def test_apply_do():
    r = call("apply_do", graph=GRAPH, intervention={"X": 1})
    assert r["ok"] and r["data"]["removed_edges"] == [["Z", "X"]] and r["data"]["descendants"] == ["Y"]
    r = call("apply_do", graph=GRAPH, intervention={"Q": 1})
    assert not r["ok"] and r["error"]["code"] == "unknown_variable" and "Q" in r["error"]["message"]


def test_estimate_effect_backdoor():
    r = call("estimate_effect", graph=GRAPH, query={"kind": "ate", "treatment": "X", "outcome": "Y"},
             statements=GOOD, claim="positive")
    assert r["ok"], r
    assert abs(r["data"]["value"] - 0.2) < 1e-9 and r["data"]["answer"] == "yes"
    assert r["data"]["identification"]["kind"] == EstimandKind.BACKDOOR and r["data"]["estimand_expanded"] == (
        "P(Y=1 | X=1, Z=0) · P(Z=0) + P(Y=1 | X=1, Z=1) · P(Z=1) - [P(Y=1 | X=0, Z=0) · P(Z=0) + P(Y=1 | X=0, Z=1) · P(Z=1)]")
    assert r["data"]["identification"]["adjustment_set"] == ["Z"]


def test_estimate_effect_error_cases():
    bad = [dict(s) for s in GOOD]
    bad[0] = {"event": {"Y": 1}, "given": {"X": 0, "Z": 0}, "p": 1.3}
    r = call("estimate_effect", graph=GRAPH, query={"kind": "ate", "treatment": "X", "outcome": "Y"}, statements=bad)
    assert r["error"]["code"] == "invalid_probability" and "1.3" in r["error"]["message"]
    r = call("estimate_effect", graph=GRAPH, query={"kind": "ate", "treatment": "X", "outcome": "Y"}, statements=GOOD[:2])
    assert r["error"]["code"] == "missing_quantity" and "P(" in r["error"]["message"]
    r = call("estimate_effect", graph=GRAPH, query={"kind": "ate", "treatment": "X", "outcome": "W"}, statements=GOOD)
    assert r["error"]["code"] == "unknown_variable"
    r = call("estimate_effect", graph={"edges": [["X", "Y"], ["U", "X"], ["U", "Y"]], "latent": ["U"]},
             query={"kind": "ate", "treatment": "X", "outcome": "Y"},
             statements=[{"event": {"Y": 1}, "given": {"X": 1}, "p": 0.6}, {"event": {"Y": 1}, "given": {"X": 0}, "p": 0.3}])
    assert r["error"]["code"] == "not_identifiable" and "hedge" in r["error"]["message"]
    r = call("estimate_effect", graph=GRAPH, query={"kind": "teleport", "outcome": "Y"})
    assert r["error"]["code"] == "invalid_arguments" and "query.kind" in r["error"]["message"]


def test_det_counterfactual_tool():
    r = call("estimate_effect", graph={"edges": [["a", "c"], ["b", "c"]]},
             query={"kind": "det_counterfactual", "treatment": "a", "treatment_value": 0, "outcome": "c"},
             mechanisms=[{"target": "c", "op": "or", "inputs": [["a", 1], ["b", 1]]}], observations={"b": 0})
    assert r["ok"] and r["data"]["answer"] == "no"


def test_malformed_calls_become_error_results():
    assert call_tool("teleport", {})["error"]["code"] == "unknown_tool"
    assert call_tool("check_acyclicity", "{not json")["error"]["code"] == "invalid_arguments"
    r = call_tool("check_acyclicity", '{"graph": {"edges": [["a", "b"]]}}')  # arguments as a JSON string
    assert r["ok"] and r["data"]["acyclic"]
    assert call_tool("check_acyclicity", ["a"])["error"]["code"] == "invalid_arguments"
