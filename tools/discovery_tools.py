"""Tools for questions that come with data and no graph: discover the graph, estimate from the data.

A separate ``discover_graph`` tool rather than a ``source`` option on ``propose_edges``:
its inputs (a data file, a search method, a significance level) and its output (a graph
with undirected/PAG edges, critique violations, per-edge sources) differ from the text
transcription's, and a model picks the right tool more reliably than the right mode.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Any, Literal

from langchain_core.tools import InjectedToolArg
from pydantic import BaseModel, ConfigDict, Field

from fmcgm.discovery import progress
from tools.schemas import CommittedGraph, DataEffectData, GraphData, ToolResult

# The discovery package (numpy, pandas, causal-learn) is imported when a tool runs on data, not when the tools are
# registered: every `fmcgm ask` registers them, few questions come with data.
if TYPE_CHECKING:
    from fmcgm.discovery.pipeline import Discovery
    from fmcgm.discovery.search import Method
    from fmcgm.discovery.table import Table

DISCOVERY_SHARE = 0.5  # of the budget, for the discovery on the whole table; the rest for its resamples


def _default_budget() -> float:
    from fmcgm.discovery.table import DEFAULT_BUDGET_S

    return DEFAULT_BUDGET_S


def discover(table: Table, method: Method, alpha: float, **kwargs: Any) -> Discovery:
    """The discovery pipeline (:func:`fmcgm.discovery.pipeline.discover`), imported with its first use."""
    from fmcgm.discovery.pipeline import discover as run

    return run(table, method, alpha, **kwargs)


class DiscoverGraphArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a key the schema does not name is refused with its name

    data_path: Annotated[str, InjectedToolArg] = Field("", description="CSV or Parquet file of observations")
    source: Literal["data", "knowledge", "hybrid"] = Field(
        "data", description="data: search the table; knowledge: ask the model about each pair of columns; "
                            "hybrid: the model's answers enter the search as required/forbidden edges")
    method: Literal["pc", "ges", "fci"] = "pc"
    alpha: float = Field(0.01, gt=0, lt=0.5, description="significance level of the independence tests")
    budget_s: Annotated[float, InjectedToolArg] = Field(default_factory=_default_budget, ge=1, le=3600,
                                                        description="seconds for the whole answer from data")
    knowledge_model: Annotated[Any, InjectedToolArg] = Field(
        None, exclude=True, description="a chat model asked about pairs of columns (source knowledge or hybrid)")
    focus: list[str] = Field(default_factory=list, description="the columns the question names (treatment, outcome): "
                             "a table too wide for the budget is refused with a subset around them")


class EstimateFromDataArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a key the schema does not name is refused with its name

    graph: Annotated[dict, CommittedGraph] = Field(..., description="the graph discover_graph returned (edges, undirected, ...)")
    treatment: str
    outcome: str
    claim: Literal["affects", "not_affects", "positive", "negative"] = "affects"
    data_path: Annotated[str, InjectedToolArg] = Field("", description="the same data file")
    budget_s: Annotated[float, InjectedToolArg] = Field(default_factory=_default_budget, ge=1, le=3600,
                                                        description="seconds for the whole answer from data")


def _table(path: str):
    from fmcgm.discovery.table import DataError, load_table

    if not path:
        raise DataError("no data attached", "pass a CSV or Parquet file with --data")
    return load_table(path)


def discover_graph(args: DiscoverGraphArgs) -> ToolResult:
    """Discover a causal graph from the attached data (PC/GES/FCI), test its implied independences with the
    search's own test, and search again under each rejected one (bounded rounds)."""
    from fmcgm.discovery.knowledge import NO_SOURCE, LLMKnowledge, gather
    from fmcgm.discovery.noise_orientation import NOT_TRIED
    from fmcgm.discovery.pdag import DiscoveredGraph, Edge
    from fmcgm.discovery.table import check_size

    t0 = time.monotonic()
    table = _table(args.data_path)
    budget_notes = check_size(table, args.budget_s, args.focus)
    k, notes = None, []
    if args.source in ("knowledge", "hybrid"):
        if args.knowledge_model is None:
            notes.append(NO_SOURCE)
        else:
            k = gather(table.names, LLMKnowledge(args.knowledge_model, context="columns of " + table.source))
    if args.source == "knowledge" and k is not None:
        g = DiscoveredGraph(nodes=table.names, method="knowledge", edges=[
            Edge(a=a, b=b, mark="->", source="knowledge", confidence=c) for (a, b), c in k.claimed().items()])
        return ToolResult(ok=True, summary=f"{len(g.edges)} edge(s) from {k.source}; not tested on data",
                          data=GraphData.model_validate({"graph": g.to_agent_graph(), "uncertain_edges": [], "notes": notes,
                                                         "knowledge": [a.model_dump() for a in k.answers]}))
    deadline = t0 + DISCOVERY_SHARE * args.budget_s
    progress.report(f"discovering a graph over {len(table.names)} columns and {table.n:,} rows "
                    f"(budget {args.budget_s:.0f} s)")
    d = discover(table, args.method, args.alpha, knowledge=k, deadline=deadline, progress=progress.report,
                 focus=args.focus)
    g = d.graph
    seconds = time.monotonic() - t0
    cut = [n for n in dict.fromkeys([*g.notes, *d.notes]) if "time budget" in n or NOT_TRIED in n]
    graph = g.to_agent_graph()
    graph["search"] = {"method": args.method, "test": d.test, "alpha": args.alpha, "rows": d.rows,
                       "repairs": len(d.constraints), "seconds": round(seconds, 2), "budget_s": args.budget_s,
                       "cut": [*budget_notes, *cut]}
    uncertain = [e.text() for e in g.uncertain()]
    summary = (f"discovered {len(g.edges)} edge(s) over {len(g.nodes)} variables from {table.n} rows"
               + (f"; direction open: {', '.join(uncertain)}" if uncertain else "")
               + f"; critique: {d.tests_run} implied independence(s) tested, {len(d.violations)} violated"
               + (f" after {len(d.constraints)} repair round(s)" if d.constraints else "")
               + (f"; conflicts: {'; '.join(c.text for c in d.conflicts)}" if d.conflicts else ""))
    return ToolResult(ok=True, summary=summary, data=GraphData.model_validate({
        "graph": graph, "uncertain_edges": uncertain, "kinds": table.kinds,
        "violations": [v.model_dump() for v in d.violations], "notes": [*notes, *d.notes],
        "rounds": [r.model_dump() for r in d.rounds], "constraints": [c.model_dump() for c in d.constraints],
        "conflicts": [c.model_dump() for c in d.conflicts], "rejected_knowledge": d.rejected_knowledge,
        "seconds": round(seconds, 2)}))


def estimate_from_data(args: EstimateFromDataArgs) -> ToolResult:
    """Estimate the effect of treatment on outcome from the data, under every graph the discovered class and its
    bootstrap resamples allow (the discovery is rerun on resamples: the interval covers the graph's uncertainty)."""
    from fmcgm.discovery.estimate import GRAPH_RESAMPLES, PositivityError, effect_from_data, graph_stability
    from fmcgm.discovery.pdag import DiscoveredGraph
    from fmcgm.discovery.table import DataError

    t0 = time.monotonic()
    table = _table(args.data_path)
    g = DiscoveredGraph.from_agent_graph(args.graph)
    for v in (args.treatment, args.outcome):
        if v not in table.columns:
            raise DataError(f"{table.source} has no column {v!r}", "columns: " + ", ".join(table.names))
    s = args.graph.get("search") or {}
    spent = float(s.get("seconds", 0.0))
    deadline = t0 + max(1.0, (args.budget_s - spent) - max(2.0, 0.1 * args.budget_s))  # kept for the estimates
    budget = [*s.get("cut", [])]
    stability = None
    if s.get("method", "pc") == "pc":
        progress.report(f"rerunning the discovery on up to {GRAPH_RESAMPLES} random halves of the rows")
        stability = graph_stability(table, g, args.treatment, alpha=float(s.get("alpha", 0.01)),
                                    test=s.get("test", "auto"), deadline=deadline, progress=progress.report,
                                    critique=bool(s.get("repairs")))  # resamples repair only where the table needed it
        budget += stability.cut
    else:
        budget.append(f"graph stability is measured for PC only ({s.get('method')} was used)")
    try:
        r = effect_from_data(table, g, args.treatment, args.outcome, args.claim, stability=stability, budget=budget)
    except PositivityError as e:
        if budget:  # an empty cell under a graph the budget cut short: say both
            raise PositivityError(f"{e.message}; time budget: {'; '.join(budget)}", e.hint) from None
        raise
    ci = f" (95% CI {r.ci[0]:.4f} to {r.ci[1]:.4f})" if r.ci and r.answer else ""
    value = f"{r.value:.4f}{ci}" if r.value is not None else f"in [{r.range[0]:.4f}, {r.range[1]:.4f}]"
    summary = f"effect of {r.treatment} on {r.outcome} = {value}; {r.verdict}"
    return ToolResult(ok=True, summary=summary, data=DataEffectData.model_validate({
        "kind": "ate_from_data", "answer": r.answer, "value": r.value, "ci": list(r.ci) if r.ci else None,
        "range": list(r.range), "estimand": r.estimand, "method": r.method, "assumptions": r.assumptions,
        "warnings": r.warnings, "verdict": r.verdict, "determined": r.answer is not None,
        "rests_on": r.rests_on, "budget": r.budget, "margin": r.margin.text if r.margin else "",
        "rows_to_settle": r.rows_to_settle, "seconds": round(time.monotonic() - t0 + spent, 2),
        "resamples": stability.resamples if stability else 0,
        "members": [{"parents": m.parents, "value": m.value, "ci": list(m.ci) if m.ci else None,
                     "estimand": m.estimand, "structural": m.structural, "share": m.share} for m in r.members]}))

