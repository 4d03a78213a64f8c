"""Tool metadata is declared once, at registration (issue 19): the agent holds a graph-consuming call for the
critique, freezes the graph into it and takes its result as the answer because the tool says so, not because its
name is on a list in agent/."""

from __future__ import annotations

from typing import Annotated

import pytest
from langchain_core.messages import AIMessage
from pydantic import BaseModel, ConfigDict

from agent.graph import build_graph
from fmcgm.vocabulary import QueryKind
from tests.scripted import ScriptedModel, call
from tools import registry
from tools.schemas import CommittedGraph, EffectData, GraphSpec, ToolResult


class ToyArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    graph: Annotated[GraphSpec, CommittedGraph]


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
    assert m("render_image").consumes_graph and m("estimate_from_data").consumes_graph
    assert m("request_clarification").asks_user and m("request_clarification").ends_search
    assert m("discover_graph").input_step and m("discover_graph").builds_graph and not m("discover_graph").answers
    assert m("propose_edges").builds_graph and not m("check_acyclicity").ends_search
    assert m("no_such_tool") == registry.ToolMeta()


def test_injected_arguments_are_declared_in_the_schema_and_hidden_from_the_model():
    """The committed graph (LangGraph's InjectedState), the data file, its budget and the knowledge model
    (InjectedToolArg) are filled in by the agent: the schema a model is shown never names them."""
    inj = registry.injected_args
    assert {k: i.state_key for k, i in inj("estimate_effect").items()} == {"graph": "committed_graph"}
    assert {k: i.state_key for k, i in inj("estimate_from_data").items()} == {
        "graph": "committed_graph", "data_path": None, "budget_s": None}
    assert set(inj("discover_graph")) == {"data_path", "budget_s", "knowledge_model"}
    assert not inj("discover_graph")["knowledge_model"].shown  # a chat model is never written to the trace
    for name in ("estimate_effect", "render_image", "estimate_from_data", "discover_graph"):
        shown = registry.get_tool(name).tool_call_schema.model_json_schema()["properties"]
        assert not set(inj(name)) & set(shown), name
        assert set(shown), name  # the model still sees the tool's own arguments


def test_a_graph_consuming_tool_without_an_injected_graph_is_refused_at_registration():
    class Plain(BaseModel):
        graph: GraphSpec

    with pytest.raises(ValueError, match="InjectedState"):
        registry.register(toy_effect, Plain, name="plain_toy", meta=registry.ToolMeta(consumes_graph=True))
    assert registry.get_tool("plain_toy") is None


def test_a_tool_call_validates_its_arguments_once(monkeypatch):
    """call_tool validates the arguments against the tool's schema once and hands the implementation the model
    (it used to validate, then StructuredTool validated again, then the wrapper a third time)."""
    from tools.schemas import EstimateEffectArgs

    calls = []
    original = EstimateEffectArgs.model_validate.__func__  # type: ignore[attr-defined]

    def counted(cls, *args, **kwargs):
        calls.append(1)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(EstimateEffectArgs, "model_validate", classmethod(counted))
    r = registry.call_tool("estimate_effect", {
        "graph": {"edges": [["X", "Y"]]}, "query": {"kind": "ate", "treatment": "X", "outcome": "Y"},
        "statements": [{"event": {"Y": 1}, "given": {"X": 1}, "p": 0.7}, {"event": {"Y": 1}, "given": {"X": 0}, "p": 0.4}]})
    assert r["ok"], r
    assert len(calls) == 1
