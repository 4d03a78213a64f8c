"""Deterministic critique of a proposed causal graph, before the agent commits to it.

Each check is a pure function returning findings; ``error`` findings block the
commit (the model must revise), ``warning`` findings are reported with the
answer.  Checks: acyclicity (naming the cycle), variables the question names
but the graph lacks, variables the question calls unobserved but the graph
treats as observed, identifiability of the asked query, consistency of the
given probabilities, and — when data are attached — the conditional
independences the graph implies, tested against the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import product
from typing import Literal

import numpy as np

from fmcgm.causal import graph as G
from fmcgm.causal.probability import ProbabilityStore, Statement
from fmcgm.causal.queries import Query, candidates
from fmcgm.errors import FMCGMError, NotIdentifiableError, cycle_message

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def check_acyclic(edges: list[tuple[str, str]]) -> list[Finding]:
    ok, cycle = G.is_acyclic(edges)
    if ok:
        return []
    return [Finding("error", "cycle", cycle_message(cycle))]


def check_named_variables(g: G.CausalGraph, named: list[str], said_latent: list[str]) -> list[Finding]:
    """Variables the question names (or calls unobserved) against the graph."""
    out = []
    have = {n.lower() for n in g.nodes}
    missing = [n for n in named if n.lower() not in have]
    if missing:
        out.append(Finding("error", "missing_variables",
                           f"the question names {', '.join(missing)} but the graph does not contain them"))
    latent = {n.lower() for n in g.latent}
    unmarked = [n for n in said_latent if n.lower() in have and n.lower() not in latent]
    if unmarked:
        out.append(Finding("error", "unmarked_latent",
                           f"the question says {', '.join(unmarked)} is unobserved; mark it latent in the graph"))
    return out


def check_statements(g: G.CausalGraph, statements: list[Statement]) -> list[Finding]:
    out = []
    names = {k for s in statements for k, _ in (*s.event, *s.given)}
    unknown = sorted(n for n in names if n not in g.nodes)
    if unknown:
        return [Finding("error", "unknown_variables",
                        f"probability statements use {', '.join(unknown)}, which the graph does not contain")]
    try:
        ProbabilityStore(statements, g)
    except FMCGMError as e:
        out.append(Finding("error", e.code, e.message))
    on_latent = sorted(names & set(g.latent))
    if on_latent:
        out.append(Finding("warning", "data_on_latent",
                           f"probabilities are given for {', '.join(on_latent)}, which the graph marks unobserved"))
    return out


def check_identifiable(g: G.CausalGraph, q: Query | None) -> list[Finding]:
    if q is None or q.kind in ("backadj", "collider_bias", "det_counterfactual"):
        return []
    try:
        ests = candidates(g, q).estimands
    except NotIdentifiableError as e:
        return [Finding("warning", "not_identifiable", e.message)]
    except FMCGMError as e:
        return [Finding("error", e.code, e.message)]
    if ests and not ests[0].exact:
        return [Finding("warning", "needs_assumptions", "; ".join(ests[0].assumptions))]
    return [Finding("info", "identifiable", f"identifiable by {ests[0].method}")] if ests else []


def implied_independences(g: G.CausalGraph) -> list[tuple[str, str, tuple[str, ...]]]:
    """Local Markov statements over observed variables: v ⫫ w | parents(v), w a non-descendant."""
    out = []
    for v in g.observed:
        pa = G.parents(g, v)
        if pa & g.latent:
            continue  # a latent parent leaves no testable local statement
        nd = set(g.observed) - G.descendants(g, [v]) - pa
        for w in sorted(nd):
            if G.d_separated(g, {v}, {w}, pa):
                pair = tuple(sorted((v, w)))
                item = (pair[0], pair[1], tuple(sorted(pa)))
                if item not in out:
                    out.append(item)
    return out


def ci_test(data: dict[str, np.ndarray], a: str, b: str, given: tuple[str, ...]) -> tuple[float, int]:
    """G-test of a ⫫ b | given on discrete data (stratified); returns (p-value, degrees of freedom)."""
    from scipy.stats import chi2

    stat, dof = 0.0, 0
    strata = product(*[np.unique(data[c]) for c in given]) if given else [()]
    for combo in strata:
        mask = np.ones(len(data[a]), dtype=bool)
        for c, val in zip(given, combo):
            mask &= data[c] == val
        xa, xb = data[a][mask], data[b][mask]
        va, vb = np.unique(xa), np.unique(xb)
        if len(va) < 2 or len(vb) < 2:
            continue
        table = np.array([[np.sum((xa == i) & (xb == j)) for j in vb] for i in va], dtype=float)
        expected = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
        nz = table > 0
        stat += 2 * float(np.sum(table[nz] * np.log(table[nz] / expected[nz])))
        dof += (len(va) - 1) * (len(vb) - 1)
    if dof == 0:
        return 1.0, 0
    return float(chi2.sf(stat, dof)), dof


def check_data(g: G.CausalGraph, data: dict[str, np.ndarray] | None, alpha: float = 0.01) -> list[Finding]:
    if not data:
        return []
    out = []
    tests = [t for t in implied_independences(g) if all(v in data for v in (t[0], t[1], *t[2]))]
    if not tests:
        return [Finding("info", "no_testable_independence", "the data cover no independence the graph implies")]
    level = alpha / len(tests)  # Bonferroni over the tests run
    for a, b, given in tests:
        p, _ = ci_test(data, a, b, given)
        if p < level:
            cond = f" given {', '.join(given)}" if given else ""
            out.append(Finding("error", "data_contradicts_graph",
                               f"the graph implies {a} ⫫ {b}{cond}, but the data reject it (p = {p:.2g}); "
                               f"add an edge or a latent confounder between them"))
    if not out:
        out.append(Finding("info", "data_consistent", f"{len(tests)} implied independence(s) hold in the data"))
    return out


def review(edges: list[tuple[str, str]], latent: list[str], *, named: Sequence[str] = (), said_latent: Sequence[str] = (),
           statements: Sequence[Statement] = (), query: Query | None = None,
           data: dict[str, np.ndarray] | None = None) -> list[Finding]:
    """Every check on a proposed graph; a cyclic or invalid graph stops the rest."""
    found = check_acyclic(edges)
    if found:
        return found
    try:
        g = G.CausalGraph.build(edges, latent=latent)
    except FMCGMError as e:
        return [Finding("error", e.code, e.message)]
    found += check_named_variables(g, list(named), list(said_latent))
    found += check_statements(g, list(statements))
    if not any(f.severity == "error" for f in found):
        try:
            if query is not None:
                g.require(*[v for v in (query.outcome, query.treatment, *query.mediators) if v])
            found += check_identifiable(g, query)
        except FMCGMError as e:
            found.append(Finding("error", e.code, e.message))
    found += check_data(g, data)
    return found


def load_csv(path: str) -> dict[str, np.ndarray]:
    """Columns of a CSV file of discrete values (header row of variable names); errors name the file."""
    import csv

    try:
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
    except FileNotFoundError:
        raise FMCGMError(f"data file {path} does not exist", "pass the path of an existing CSV file to --data") from None
    except IsADirectoryError:
        raise FMCGMError(f"data path {path} is a folder, not a file", "pass the path of a CSV file to --data") from None
    except PermissionError:
        raise FMCGMError(f"data file {path} cannot be read (permission denied)", "make the file readable") from None
    except UnicodeDecodeError as e:
        raise FMCGMError(f"data file {path} is not UTF-8 text (undecodable byte at position {e.start})",
                         "save the CSV as UTF-8 text") from None
    except csv.Error as e:
        raise FMCGMError(f"data file {path} is not a valid CSV: {e}", "fix the file's CSV syntax") from None
    rows = [r for r in rows if r]
    if len(rows) < 2:
        raise FMCGMError(f"data file {path} has no data rows", "give a header row of variable names and one row per unit")
    head = [h.strip() for h in rows[0]]
    for i, r in enumerate(rows[1:], start=2):
        if len(r) != len(head):
            raise FMCGMError(f"data file {path}, line {i}: {len(r)} values for {len(head)} columns",
                             "give every row one value per column of the header")
    try:
        cols = np.array([[int(float(x)) for x in r] for r in rows[1:]], dtype=int)
    except (ValueError, OverflowError):
        raise FMCGMError(f"data file {path} has non-numeric values", "code each variable as integers (0/1)") from None
    return {h: cols[:, i] for i, h in enumerate(head)}
