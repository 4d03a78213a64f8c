"""ToolResult.data is a typed payload (issue 19): each tool's result is its own class, read back from JSON by one
discriminator, and serialises to exactly the keys the tool put in (the JSON the CLI, app and traces show is unchanged)."""

from __future__ import annotations

import json

import pytest

from agent.answer import result_text, turn_answer
from tools import call_tool
from tools.schemas import (
    AcyclicityData,
    ClarificationData,
    EffectData,
    FindingsData,
    GraphData,
    ImageData,
    IndependenceData,
    NoData,
    ToolResult,
)

GRAPH = {"edges": [["X", "Y"]], "latent": [], "nodes": ["X", "Y"], "bidirected": []}
STATEMENTS = [{"event": {"Y": 1}, "given": {"X": 1}, "p": 0.7}, {"event": {"Y": 1}, "given": {"X": 0}, "p": 0.2}]


@pytest.mark.parametrize("tool,args,cls", [
    ("propose_edges", {"edges": [["X", "Y"]]}, GraphData),
    ("check_acyclicity", {"graph": GRAPH}, AcyclicityData),
    ("apply_do", {"graph": GRAPH, "intervention": {"X": 1}}, GraphData),
    ("estimate_effect", {"graph": GRAPH, "query": {"kind": "ate", "outcome": "Y", "treatment": "X"},
                         "statements": STATEMENTS}, EffectData),
    ("request_clarification", {"missing": ["a causal graph"]}, ClarificationData),
    ("infer_from_independences", {"premises": "A correlates with B. B correlates with C. However, A is independent "
                                              "of C given B.", "hypothesis": "A directly affects C."}, IndependenceData),
    ("estimate_effect", {"graph": GRAPH}, NoData),
])
def test_each_tool_result_reads_back_as_its_payload_type_with_the_same_json(tool, args, cls):
    sent = call_tool(tool, args)
    typed = ToolResult.read(json.loads(json.dumps(sent)))
    assert type(typed.data) is cls
    assert typed.model_dump(mode="json") == json.loads(json.dumps(sent))  # no key added, none dropped


def test_an_image_is_recognised_by_its_type_and_keeps_every_key():
    data = {"world": "pendulum", "paths": {"side_by_side": "a.png"}, "counterfactual_values": {"angle": 1.0},
            "ok": True, "method": "diffusion", "check": {"ok": True}}
    r = ToolResult.read({"ok": True, "summary": "pendulum: do(angle=1) changes shadow", "data": data})
    assert isinstance(r.data, ImageData) and r.data.paths == {"side_by_side": "a.png"}
    assert r.model_dump(mode="json")["data"] == data
    assert result_text(r) == "pendulum: do(angle=1) changes shadow"


def test_the_answer_is_read_from_the_payload_type_not_from_keys():
    """An effect whose extra keys happen to include 'paths' is still an effect: its value and estimand are the
    answer (the old reader took any data with 'paths' for an image and dropped the value)."""
    res = call_tool("estimate_effect", {"graph": GRAPH, "query": {"kind": "ate", "outcome": "Y", "treatment": "X"},
                                        "statements": STATEMENTS})
    res["data"]["paths"] = ["X -> Y"]  # an effect's own paths (a list), not an image's files
    answer = turn_answer({"turn_result": {"tool": "estimate_effect", "result": res}, "messages": []})
    assert answer.computed and answer.value == pytest.approx(0.5) and answer.images is None
    assert "Value: 0.5000" in answer.text


def test_a_critique_rejection_carries_findings():
    r = ToolResult.read({"ok": False, "summary": "critique rejected the graph", "data": {"findings": []}})
    assert isinstance(r.data, FindingsData)
