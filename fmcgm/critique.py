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

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

from fmcgm.causal import graph as G
from fmcgm.causal.probability import ProbabilityStore, Statement
from fmcgm.causal.queries import Query, candidates
from fmcgm.errors import FMCGMError, NotIdentifiableError, cycle_message
from fmcgm.language.names import without_negation
from fmcgm.vocabulary import QueryKind

if TYPE_CHECKING:  # numpy with the data a critique tests, not for a story's graph
    import numpy as np

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    hint: str = ""  # for the user: what would fix or settle it (never an instruction to the agent's model)

    def to_dict(self) -> dict:
        return {**asdict(self), "code": str(self.code)}  # plain text: a checkpoint holds no enum members


def check_acyclic(edges: list[tuple[str, str]]) -> list[Finding]:
    ok, cycle = G.is_acyclic(edges)
    if ok:
        return []
    return [Finding("error", "cycle", cycle_message(cycle))]


def check_named_variables(g: G.CausalGraph, named: list[str], said_latent: list[str]) -> list[Finding]:
    """Variables the question names (or calls unobserved) against the graph."""
    out = []
    have = {n.lower() for n in g.nodes}
    missing = [n for n in named if n.lower() not in have and without_negation(n).lower() not in have]
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
    if q is None or q.kind in (QueryKind.BACKADJ, QueryKind.COLLIDER_BIAS, QueryKind.DET_COUNTERFACTUAL):
        return []
    try:
        ests = candidates(g, q).estimands
    except NotIdentifiableError as e:
        return [Finding("warning", "not_identifiable", e.message)]
    except FMCGMError as e:
        return [Finding("error", e.code, e.message)]
    if ests and not ests[0].exact:
        return [Finding("warning", "needs_assumptions", "; ".join(ests[0].assumptions))]
    return [Finding("info", "identifiable", f"identifiable by {ests[0].label}")] if ests else []


def implied_independences(g: G.CausalGraph) -> list[tuple[str, str, tuple[str, ...]]]:
    """Local Markov statements over observed variables: v ⫫ w | parents(v), w a non-descendant.

    In a DAG the parents of v d-separate it from every non-descendant (the local Markov property), so d-separation
    is checked only where a bidirected edge at v (a hidden common cause) can open a path the parents do not block
    (on a 50-variable graph the check ran 2,000 times a critique, once per implied statement, and always held)."""
    out: dict[tuple[str, str, tuple[str, ...]], None] = {}  # ordered, each statement once
    confounded = {v for e in g.bidirected for v in e}
    observed = set(g.observed)
    for v in g.observed:
        pa = G.parents(g, v)
        if pa & g.latent:
            continue  # a latent parent leaves no testable local statement
        nd = observed - G.descendants(g, [v]) - pa
        given = tuple(sorted(pa))
        for w in sorted(nd):
            if v not in confounded or G.d_separated(g, {v}, {w}, pa):
                a, b = sorted((v, w))
                out.setdefault((a, b, given))
    return list(out)


def is_discrete(col: np.ndarray) -> bool:
    import numpy as np

    return np.issubdtype(col.dtype, np.integer) or np.issubdtype(col.dtype, np.bool_)


CITest = Callable[[dict[str, "np.ndarray"], str, str, tuple[str, ...]], tuple[float, int]]


def ci_test(data: dict[str, np.ndarray], a: str, b: str, given: tuple[str, ...]) -> tuple[float, int]:
    """Test of a ⫫ b | given with causal-learn's ``CIT``, the library and the tests discovery's searches use (its
    "auto" choice): chi-square when every column is discrete (integer codes), Fisher's z on the partial correlation
    otherwise.  Returns (p-value, 0), the convention of a discovery ``Tester``.  The agent passes the data's own
    tester instead (the very object a discovered graph's search used), so the two never disagree on a test."""
    import contextlib
    import io
    import warnings

    import numpy as np
    from causallearn.utils.cit import CIT

    cols = (a, b, *given)
    discrete = all(is_discrete(data[c]) for c in cols)
    x = np.column_stack([data[c] for c in cols])
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():  # causal-learn prints and warns
        warnings.simplefilter("ignore")
        cit = CIT(x.astype(int) if discrete else x.astype(float), "chisq" if discrete else "fisherz")
        return float(cit(0, 1, list(range(2, len(cols))))), 0


def data_violations(g: G.CausalGraph, data: dict[str, np.ndarray] | None, alpha: float = 0.01,
                    test: CITest | None = None, names: Sequence[str] | None = None,
                    ) -> tuple[int, list[tuple[str, str, tuple[str, ...], float]]]:
    """The implied independences the data reject (Bonferroni over the tests run): (tests run, violations).
    ``test`` replaces the default :func:`ci_test`: a discovered graph is criticised by its search's own test
    object on the same rows (then ``names`` lists the columns it covers and ``data`` may be empty)."""
    test = test or ci_test
    have = set(names) if names is not None else set(data or {})
    tests = [t for t in implied_independences(g) if all(v in have for v in (t[0], t[1], *t[2]))]
    if not tests:
        return 0, []
    level = alpha / len(tests)
    found = []
    for a, b, given in tests:
        p, _ = test(data or {}, a, b, given)
        if p < level:
            found.append((a, b, given, p))
    return len(tests), found


def independence_text(a: str, b: str, given: tuple[str, ...]) -> str:
    return f"{a} ⫫ {b}" + (f" given {', '.join(given)}" if given else "")


def check_data(g: G.CausalGraph, data: dict[str, np.ndarray] | None, alpha: float = 0.01,
               test: CITest | None = None) -> list[Finding]:
    if not data:
        return []
    ran, violations = data_violations(g, data, alpha, test)
    if not ran:
        return [Finding("info", "no_testable_independence", "the data cover no independence the graph implies")]
    out = [Finding("error", "data_contradicts_graph",
                   f"the graph implies {independence_text(a, b, given)}, but the data reject it (p = {p:.2g}); "
                   "add an edge or a latent confounder between them")
           for a, b, given, p in violations]
    return out or [Finding("info", "data_consistent", f"{ran} implied independence(s) hold in the data")]


def review(edges: list[tuple[str, str]], latent: list[str], *, named: Sequence[str] = (), said_latent: Sequence[str] = (),
           statements: Sequence[Statement] = (), query: Query | None = None,
           data: dict[str, np.ndarray] | None = None, data_test: CITest | None = None,
           nodes: Sequence[str] = ()) -> list[Finding]:
    """Every check on a proposed graph; a cyclic or invalid graph stops the rest.  ``nodes``: the graph's variables,
    those without an edge included (a discovered graph often has them: an isolated variable is in the graph)."""
    found = check_acyclic(edges)
    if found:
        return found
    try:
        g = G.CausalGraph.build(edges, nodes=nodes, latent=latent)
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
    found += check_data(g, data, test=data_test)
    return found

