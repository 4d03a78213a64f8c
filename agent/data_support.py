"""The agent's side of questions with data: the note that data are attached (a message), one DAG of a
discovered class for the critique, the critique of a discovered graph (the search's own test on the same rows) and
the answer text of an ``estimate_from_data`` result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.messages import SystemMessage

from fmcgm.critique import Finding
from prompts import load
from tools.schemas import DataEffectData

if TYPE_CHECKING:  # the discovery package (networkx, numpy) is imported by a question with data, not at start-up
    from fmcgm.discovery.table import Table

DATA_KEY = "fmcgm_data"
DATA_CONFLICT = "data_conflict"  # the data reject what every graph the search could build implies


def data_note(path: str, table: Table) -> SystemMessage:
    cols = ", ".join(f"{c} ({k})" for c, k in table.kinds.items())
    return SystemMessage(content=load("data_attached").format(path=path, n=table.n, columns=cols),
                         additional_kwargs={DATA_KEY: {"path": path, "columns": table.names}})


def dag_member(graph: dict) -> list[tuple[str, str]]:
    """One member of the class the agent graph describes (its directed edges when there is none)."""
    from fmcgm.discovery.pdag import DiscoveredGraph, consistent_extension

    g = DiscoveredGraph.from_agent_graph(graph)
    return consistent_extension(g) or g.directed()


def discovered_findings(graph: dict, table: Table) -> list[Finding]:
    """The agent's critique of a discovered graph: the pipeline's own critique, with the search's test object
    (same test, same rows, same level), so it cannot disagree with the search on a test."""
    from fmcgm.discovery.pdag import DiscoveredGraph
    from fmcgm.discovery.pipeline import conflict_of, no_member_conflict, violations_of
    from fmcgm.discovery.search import tester_for

    s = graph.get("search") or {}
    g = DiscoveredGraph.from_agent_graph(graph)
    missing = [v for v in g.nodes if v not in table.columns]
    if missing:
        return [Finding("error", "unknown_variables", f"the graph names {', '.join(missing)}, which the data lack")]
    tester = tester_for(table, s.get("test", "auto"))
    alpha = float(s.get("alpha", 0.01))
    repaired = int(s.get("repairs", 0))
    after = (f" (the search was repeated {repaired} time(s), each under one more rejected independence)"
             if repaired else "")
    result = violations_of(g, tester, alpha)
    if result is None:
        c = no_member_conflict(g, tester)
        return [Finding("error", DATA_CONFLICT, c.text + after, f"what would settle it: {c.settle}")]
    ran, violations = result
    if not violations:
        return [Finding("info", "data_consistent", f"{ran} implied independence(s) hold in the data (the search's "
                                                    f"own {tester.test} test on the same {tester.rows} rows)")]
    out = []
    for v in violations:
        c = conflict_of(v, g, tester, alpha, None)
        out.append(Finding("error", DATA_CONFLICT, c.text + after, f"what would settle it: {c.settle}"))
    return out


def data_answer_text(d: DataEffectData) -> str:
    """The answer from an estimate_from_data result, as a person reads it."""
    verdict = {"yes": "Yes. ", "no": "No. "}.get(d.answer or "", "")
    text = d.verdict
    lines = [f"{verdict}{text[:1].upper()}{text[1:]}."]
    if d.value is not None and d.ci:
        lines.append(f"Value: {d.value:.4f} (95% CI {d.ci[0]:.4f} to {d.ci[1]:.4f}; it covers the bootstrap "
                     "and every graph the data allow)")
    elif d.value is not None:
        lines.append(f"Value: {d.value:.4f} (no interval: the value follows from the graph, not from an estimate)")
    elif d.ci:  # not determined, with the interval that leaves it open
        lines.append(f"95% interval (the bootstrap and every graph the data allow): {d.ci[0]:.4f} to {d.ci[1]:.4f}"
                     + (f"; effects within {d.margin} count as none" if d.margin else "")
                     + (f"; roughly {d.rows_to_settle:,} rows would settle it" if d.rows_to_settle else ""))
    elif d.range:
        lines.append(f"Across the graphs the data allow, the effect lies in [{d.range[0]:.4f}, {d.range[1]:.4f}]")
    lines.append(f"Method: {d.method}")
    lines.append(f"Estimand: {d.estimand}")
    if d.rests_on:
        lines.append("Edges at the treatment across discovery resamples: " + "; ".join(d.rests_on))
    if d.warnings:
        lines.append("Caveats: " + "; ".join(d.warnings))
    if d.budget:
        lines.append("Time budget: " + "; ".join(d.budget))
    if d.assumptions:
        lines.append("Assumptions: " + "; ".join(d.assumptions))
    return "\n".join(lines)
