"""The causal graph as a picture (PNG, matplotlib + networkx) and as text (terminal).

Latent variables are drawn dashed (outline and outgoing edges), the intervened variables filled
orange and their descendants light orange; the title says whether the graph is committed.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import networkx as nx

ROLE_COLOURS = {"intervened": "#f28e2b", "descendant": "#ffd8a8", "latent": "#ffffff", "other": "#cfe2f3"}


def to_nx(graph: dict[str, Any]) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(graph.get("nodes", []))
    g.add_nodes_from(graph.get("latent", []))
    g.add_edges_from(tuple(e) for e in graph.get("edges", []) if isinstance(e, (list, tuple)) and len(e) == 2)
    return g


def node_roles(graph: dict[str, Any], intervened: list[str]) -> dict[str, str]:
    """Each node's role in the picture: intervened, descendant (of an intervened node), latent or other."""
    g = to_nx(graph)
    do = [v for v in intervened if v in g]
    below = set().union(*(nx.descendants(g, v) for v in do)) if do else set()
    latent = set(graph.get("latent", []))
    return {v: "intervened" if v in do else "descendant" if v in below else "latent" if v in latent else "other"
            for v in g.nodes}


def _layout(g: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Causes above effects: one row per topological generation (a cyclic graph falls back to a circle)."""
    if not nx.is_directed_acyclic_graph(g):
        return nx.circular_layout(g)
    for layer, nodes in enumerate(nx.topological_generations(g)):
        for v in nodes:
            g.nodes[v]["layer"] = -layer
    pos = nx.multipartite_layout(g, subset_key="layer", align="horizontal")
    return {v: (float(x), float(y)) for v, (x, y) in pos.items()}


def _row_gap(pos: dict[str, tuple[float, float]]) -> float:
    ys = sorted({round(y, 6) for _, y in pos.values()})
    return min((b - a for a, b in zip(ys, ys[1:], strict=False)), default=1.0)


def draw_graph(graph: dict[str, Any], intervened: list[str], committed: bool, out_dir: Path) -> Path:
    """Write the picture as a PNG in ``out_dir`` (named by its content) and return its path."""
    key = hashlib.sha1(json.dumps([graph, sorted(intervened), committed], sort_keys=True, default=str).encode()).hexdigest()[:12]
    path = out_dir / f"graph_{key}.png"
    if path.is_file():
        return path
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt

    g = to_nx(graph)
    roles = node_roles(graph, intervened)
    latent = set(graph.get("latent", []))
    pos = _layout(g)
    fig, ax = plt.subplots(figsize=(6, 4.5), dpi=100)
    # an edge that skips a row is bent, so it is not hidden behind the edges of the rows between
    skips = {e for e in g.edges if abs(pos[e[0]][1] - pos[e[1]][1]) > _row_gap(pos) * 1.5}
    common = dict(ax=ax, arrows=True, arrowsize=18, node_size=2200, width=1.6)
    for bent in (False, True):
        conn = "arc3,rad=0.45" if bent else "arc3"
        edges = [e for e in g.edges if (e in skips) == bent]
        nx.draw_networkx_edges(g, pos, edgelist=[e for e in edges if e[0] not in latent], connectionstyle=conn, **common)
        nx.draw_networkx_edges(g, pos, edgelist=[e for e in edges if e[0] in latent], connectionstyle=conn,
                               style="dashed", edge_color="#777777", **common)
    for kind, style in (("solid", "solid"), ("dashed", "dashed")):
        nodes = [v for v in g.nodes if (v in latent) == (kind == "dashed")]
        coll = nx.draw_networkx_nodes(g, pos, nodelist=nodes, node_size=2200, ax=ax, edgecolors="#333333",
                                      node_color=[ROLE_COLOURS[roles[v]] for v in nodes], linewidths=1.5)
        if coll is not None:
            coll.set_linestyle(style)
    nx.draw_networkx_labels(g, pos, labels={v: v.replace("_", "\n") for v in g.nodes}, font_size=9, ax=ax)
    status = "committed graph" if committed else "proposed graph (not committed yet)"
    legend = []
    if intervened:
        legend.append(f"do({', '.join(intervened)}): orange; descendants: light orange")
    if latent:
        legend.append("dashed: unobserved")
    ax.set_title(status + ("\n" + "; ".join(legend) if legend else ""), fontsize=10)
    ax.margins(0.2)
    ax.axis("off")
    out_dir.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path


def graph_text(graph: dict[str, Any] | None, intervened: list[str], committed: bool) -> str:
    """The graph for a terminal: one line per edge, latent and intervened variables named."""
    if not graph:
        return "(no graph)"
    roles = node_roles(graph, intervened)
    mark = {"intervened": " [do]", "descendant": " [changes]", "latent": " [unobserved]", "other": ""}
    lines = [("committed graph" if committed else "proposed graph") + ":"]
    lines += [f"  {a}{mark[roles[a]]} → {b}{mark[roles[b]]}" for a, b in graph.get("edges", [])]
    isolated = [v for v in roles if not any(v in e for e in graph.get("edges", []))]
    lines += [f"  {v}{mark[roles[v]]} (no edges)" for v in isolated]
    return "\n".join(lines)
