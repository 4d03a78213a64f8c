"""What a user or a model sends a tool is read strictly: a key the schema does not name is an error that
names it (the model can repair the call), never silently dropped and never a crash."""

import json
from typing import get_args

import pytest
from langchain_core.messages import AIMessage, ToolMessage
from pydantic import BaseModel
from scripted import ScriptedModel, call
from test_tool_fuzz import GRAPH, QUERY, STATS

from agent.answer import turn_answer
from agent.graph import build_graph, run_question
from fmcgm.errors import ErrorCode
from tools import call_tool
from tools.registry import _SCHEMAS
from tools.schemas import GraphSpec

ESTIMATE = {"graph": GRAPH, "query": QUERY, "statements": STATS}


def _models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in get_args(annotation) for m in _models(a)]


def _nested(schema: type[BaseModel], seen: set | None = None) -> list[type[BaseModel]]:
    seen = seen if seen is not None else set()
    if schema in seen:
        return []
    seen.add(schema)
    out = [schema]
    for f in schema.model_fields.values():
        for m in _models(f.annotation):
            out += _nested(m, seen)
    return out


@pytest.mark.parametrize("tool", sorted(_SCHEMAS))
def test_every_tool_schema_forbids_unknown_keys(tool):
    lenient = [m.__name__ for m in _nested(_SCHEMAS[tool]) if m.model_config.get("extra") != "forbid"]
    assert not lenient, f"{tool}: these argument models drop unknown keys silently: {lenient}"


@pytest.mark.parametrize("args,named", [
    ({**ESTIMATE, "confidence": 0.9}, "confidence"),
    ({**ESTIMATE, "graph": {**GRAPH, "weights": [1, 2, 3]}}, "graph.weights"),
    ({**ESTIMATE, "query": {**QUERY, "treatmnt": "x"}}, "query.treatmnt"),
    ({**ESTIMATE, "statements": [{**STATS[0], "note": "from the text"}, *STATS[1:]]}, "statements.0.note"),
])
def test_an_unknown_key_is_a_tool_error_that_names_it(args, named):
    res = call_tool("estimate_effect", args)
    json.dumps(res)
    assert res["ok"] is False and res["error"]["code"] == ErrorCode.INVALID_ARGUMENTS
    assert res["error"]["message"].startswith(f"{named}: ") and "not an argument" in res["error"]["message"]
    assert "remove" in res["error"]["hint"]


def test_the_schema_sent_to_a_model_says_no_other_keys():
    from tools import get_tools

    tool = next(t for t in get_tools() if t.name == "estimate_effect")
    assert tool.args_schema.model_json_schema().get("additionalProperties") is False


def test_a_model_that_sends_an_extra_key_gets_the_error_and_can_repair_the_call():
    model = ScriptedModel(replies=[
        call("check_acyclicity", {"graph": GRAPH, "reasoning": "z confounds x and y"}),
        call("check_acyclicity", {"graph": GRAPH}),
        AIMessage(content="The graph is acyclic."),
    ], loop_last=True)  # no answering tool: the agent nudges it back once or twice
    state = run_question("Is the graph acyclic?", app=build_graph(model=model))
    replies = [json.loads(m.content) for m in state["messages"] if isinstance(m, ToolMessage)]
    assert replies[0]["ok"] is False and replies[0]["error"]["message"].startswith("reasoning: ")
    assert replies[1]["ok"] is True
    assert state["answer"]["error_kind"] != "internal" and not state.get("error")


def test_an_answering_call_with_an_extra_key_is_a_decline_not_an_internal_failure():
    model = ScriptedModel(replies=[call("estimate_effect", {**ESTIMATE, "units": "percent"}),
                                   AIMessage(content="I could not compute it.")], loop_last=True)
    ans = run_question("Does x raise y?", app=build_graph(model=model))["answer"]
    assert ans["outcome"] == "declined" and ans["error_kind"] is None and "units: " in ans["error"]


def test_a_discovered_graph_still_reads_as_a_causal_graph_inside_the_agent():
    """The agent's own graph dicts carry more than a GraphSpec (a discovered class's open edges): internal reads
    take the graph's fields; only what a model sends is strict."""
    discovered = {"nodes": ["x", "y", "z"], "edges": [["z", "y"]], "latent": [], "undirected": [["x", "z"]],
                  "bidirected": [], "partial": [], "sources": {"z -> y": "data"}}
    spec = GraphSpec.known(discovered)
    assert spec.edges == [("z", "y")] and spec.nodes == ["x", "y", "z"]
    ans = turn_answer({"committed_graph": discovered, "messages": [], "turn_result": None})
    assert ans.graph == spec


def test_a_graph_with_an_extra_key_is_refused_by_the_critique_before_it_is_frozen():
    """The critique validates the graph as the consuming tool will: refused there, the model repairs it; were it
    committed, every later call of the turn would carry the frozen, unusable graph."""
    bad = {**ESTIMATE, "graph": {**GRAPH, "weights": [1, 2, 3]}}
    model = ScriptedModel(replies=[call("estimate_effect", bad), call("estimate_effect", ESTIMATE),
                                   AIMessage(content="done")], loop_last=True)
    state = run_question("Does x raise y?", app=build_graph(model=model))
    first = state["critiques"][0]["findings"]
    assert [f["code"] for f in first] == ["invalid_graph"] and "weights" in first[0]["message"], first
    assert state["answer"]["computed"] and state["committed_graph"] == GRAPH
