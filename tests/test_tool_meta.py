"""Tool metadata is declared once, at registration (issue 19): the agent holds a graph-consuming call for the
critique, freezes the graph into it and takes its result as the answer because the tool says so, not because its
name is on a list in agent/."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage
from pydantic import BaseModel, ConfigDict

from agent.graph import build_graph
from fmcgm.vocabulary import QueryKind
from tests.scripted import ScriptedModel, call
from tools import registry
from tools.schemas import EffectData, GraphSpec, ToolResult


class ToyArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    graph: GraphSpec


SEEN: list[GraphSpec] = []


def toy_effect(args: ToyArgs) -> ToolResult:
    """A plugged-in answering tool: the number of edges of the graph it was given, as the effect."""
    SEEN.append(args.graph)
    return ToolResult(ok=True, summary=f"{len(args.graph.edges)} edge(s)",
                      data=EffectData(kind=QueryKind.ATE, value=float(len(args.graph.edges)), method="counting"))


@pytest.fixture
def toy_tool():
    registry.register(toy_effect, ToyArgs, meta=registry.ToolMeta(consumes_graph=True, answers=True))
    yield "toy_effect"
    for table in (registry._REGISTRY, registry._SCHEMAS, registry._META, registry._IMPLS):
        table.pop("toy_effect", None)


def test_the_registered_metadata_is_what_the_agent_acts_on(toy_tool):
    SEEN.clear()
    model = ScriptedModel(replies=[
        call("propose_edges", {"edges": [["x", "y"], ["z", "y"]]}),
        call(toy_tool, {"graph": {"edges": [["x", "y"]]}}),  # not the proposed graph: the committed one is used
        AIMessage(content="done"),
    ])
    state = build_graph(model=model).invoke({"messages": [("user", "q")], "trace": []}, config={"recursion_limit": 20})
    assert [s["node"] for s in state["trace"]].count("critique") == 1  # held for the critique first
    assert state["committed_graph"] is not None and state["answer"]["computed"] is True
    assert state["answer"]["value"] == 1.0 and state["answer"]["method"] == "counting"
    assert [list(e) for e in SEEN[0].edges] == [["x", "y"]] == state["committed_graph"]["edges"]


def test_the_built_in_tools_declare_what_they_are():
    m = registry.tool_meta
    assert m("estimate_effect").consumes_graph and m("estimate_effect").answers
    assert m("render_image").consumes_graph and m("estimate_from_data").reads_data
    assert m("request_clarification").asks_user and m("request_clarification").ends_search
    assert m("discover_graph").input_step and m("discover_graph").uses_knowledge and not m("discover_graph").answers
    assert m("propose_edges").builds_graph and not m("check_acyclicity").ends_search
    assert m("no_such_tool") == registry.ToolMeta()
