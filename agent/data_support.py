"""The agent's side of questions with data: the note that data are attached (a message), one DAG of a
discovered class for the critique, and the answer text of an ``estimate_from_data`` result."""

from __future__ import annotations

from langchain_core.messages import SystemMessage

from fmcgm.discovery.pdag import DiscoveredGraph, consistent_extension
from fmcgm.discovery.table import Table
from prompts import load

DATA_KEY = "fmcgm_data"


def data_note(path: str, table: Table) -> SystemMessage:
    cols = ", ".join(f"{c} ({k})" for c, k in table.kinds.items())
    return SystemMessage(content=load("data_attached").format(path=path, n=table.n, columns=cols),
                         additional_kwargs={DATA_KEY: {"path": path, "columns": table.names}})


def dag_member(graph: dict) -> list[tuple[str, str]]:
    """One member of the class the agent graph describes (its directed edges when there is none)."""
    g = DiscoveredGraph.from_agent_graph(graph)
    return consistent_extension(g) or g.directed()


def data_answer_text(result: dict) -> str:
    """The answer from an estimate_from_data result, as a person reads it."""
    d = result.get("data", {})
    verdict = {"yes": "Yes. ", "no": "No. "}.get(d.get("answer") or "", "")
    text = d.get("verdict", "")
    lines = [f"{verdict}{text[:1].upper()}{text[1:]}."]
    if d.get("value") is not None and d.get("ci"):
        lines.append(f"Value: {d['value']:.4f} (95% bootstrap CI {d['ci'][0]:.4f} to {d['ci'][1]:.4f})")
    elif d.get("range"):
        lines.append(f"Across the graphs the data allow, the effect lies in [{d['range'][0]:.4f}, {d['range'][1]:.4f}]")
    lines.append(f"Method: {d.get('method', '')}")
    lines.append(f"Estimand: {d.get('estimand', '')}")
    if d.get("warnings"):
        lines.append("Uncertain edges: " + "; ".join(d["warnings"]))
    if d.get("assumptions"):
        lines.append("Assumptions: " + "; ".join(d["assumptions"]))
    return "\n".join(lines)
