"""Tools for questions that come with data and no graph: discover the graph, estimate from the data.

A separate ``discover_graph`` tool rather than a ``source`` option on ``propose_edges``:
its inputs (a data file, a search method, a significance level) and its output (a graph
with undirected/PAG edges, critique violations, per-edge sources) differ from the text
transcription's, and a model picks the right tool more reliably than the right mode.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fmcgm.causal.estimate_data import effect_from_data
from fmcgm.discovery.knowledge import NO_SOURCE, LLMKnowledge, gather
from fmcgm.discovery.pdag import DiscoveredGraph, Edge
from fmcgm.discovery.pipeline import discover
from fmcgm.discovery.table import DataError, load_table
from tools.schemas import ToolResult


class DiscoverGraphArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a key the schema does not name is refused with its name

    data_path: str = Field("", description="CSV or Parquet file of observations (the attached data when empty)")
    source: Literal["data", "knowledge", "hybrid"] = Field(
        "data", description="data: search the table; knowledge: ask the model about each pair of columns; "
                            "hybrid: the model's answers enter the search as required/forbidden edges")
    method: Literal["pc", "ges", "fci"] = "pc"
    alpha: float = Field(0.01, gt=0, lt=0.5, description="significance level of the independence tests")


class EstimateFromDataArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a key the schema does not name is refused with its name

    graph: dict = Field(..., description="the graph discover_graph returned (edges, undirected, ...)")
    treatment: str
    outcome: str
    claim: Literal["affects", "not_affects", "positive", "negative"] = "affects"
    data_path: str = Field("", description="the same data file (the attached data when empty)")


def _table(path: str):
    if not path:
        raise DataError("no data attached", "pass a CSV or Parquet file with --data")
    return load_table(path)


def discover_graph(args: DiscoverGraphArgs, knowledge_model=None) -> ToolResult:
    """Discover a causal graph from the attached data (PC/GES/FCI), then test its implied independences."""
    table = _table(args.data_path)
    k, notes = None, []
    if args.source in ("knowledge", "hybrid"):
        if knowledge_model is None:
            notes.append(NO_SOURCE)
        else:
            k = gather(table.names, LLMKnowledge(knowledge_model, context="columns of " + table.source))
    if args.source == "knowledge" and k is not None:
        g = DiscoveredGraph(nodes=table.names, method="knowledge", edges=[
            Edge(a=a, b=b, mark="->", source="knowledge", confidence=c) for (a, b), c in k.claimed().items()])
        return ToolResult(ok=True, summary=f"{len(g.edges)} edge(s) from {k.source}; not tested on data",
                          data={"graph": g.to_agent_graph(), "uncertain_edges": [], "notes": notes,
                                "knowledge": [a.model_dump() for a in k.answers]})
    d = discover(table, args.method, args.alpha, knowledge=k, rounds=20)
    g = d.graph
    uncertain = [e.text() for e in g.uncertain()]
    summary = (f"discovered {len(g.edges)} edge(s) over {len(g.nodes)} variables from {table.n} rows"
               + (f"; direction open: {', '.join(uncertain)}" if uncertain else "")
               + f"; critique: {d.tests_run} implied independence(s) tested, {len(d.violations)} violated")
    return ToolResult(ok=True, summary=summary, data={
        "graph": g.to_agent_graph(), "uncertain_edges": uncertain, "kinds": table.kinds,
        "violations": [v.model_dump() for v in d.violations], "notes": [*notes, *d.notes],
        "rejected_knowledge": d.rejected_knowledge})


def estimate_from_data(args: EstimateFromDataArgs) -> ToolResult:
    """Estimate the effect of treatment on outcome from the data, under every graph the discovered class allows."""
    table = _table(args.data_path)
    g = DiscoveredGraph.from_agent_graph(args.graph)
    for v in (args.treatment, args.outcome):
        if v not in table.columns:
            raise DataError(f"{table.source} has no column {v!r}", "columns: " + ", ".join(table.names))
    r = effect_from_data(table, g, args.treatment, args.outcome, args.claim)
    ci = f" (95% CI {r.ci[0]:.4f} to {r.ci[1]:.4f})" if r.ci and r.answer else ""
    value = f"{r.value:.4f}{ci}" if r.value is not None else f"in [{r.range[0]:.4f}, {r.range[1]:.4f}]"
    return ToolResult(ok=True, summary=f"effect of {r.treatment} on {r.outcome} = {value}; {r.verdict}", data={
        "kind": "ate_from_data", "answer": r.answer, "value": r.value, "ci": list(r.ci) if r.ci else None,
        "range": list(r.range), "estimand": r.estimand, "method": r.method, "assumptions": r.assumptions,
        "warnings": r.warnings, "verdict": r.verdict, "determined": r.answer is not None,
        "members": [{"parents": m.parents, "value": m.value, "ci": list(m.ci), "estimand": m.estimand}
                    for m in r.members]})


def discover_with_model(args: dict, model) -> dict:
    """discover_graph with a chat model as the knowledge source (LLM backends), validated like any tool call."""
    from tools.causal_tools import safe

    def discover_graph_with_knowledge(a: DiscoverGraphArgs) -> ToolResult:
        return discover_graph(a, knowledge_model=model)

    return safe(discover_graph_with_knowledge, DiscoverGraphArgs)(**args)
