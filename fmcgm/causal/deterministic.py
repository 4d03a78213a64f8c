"""Deterministic boolean mechanisms ("A and B causes C") and their exact counterfactuals.

A mechanism sets its target to ``target_value`` exactly when the AND / OR of
its input literals holds, and to the other value otherwise.  Variables without
a stated mechanism are exogenous (free).  Counterfactuals use
abduction–action–prediction over every exogenous assignment consistent with
what was observed; the answer is determined when all of them agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from fmcgm.causal.graph import CausalGraph
from fmcgm.errors import GraphError, InconsistentInputError

if TYPE_CHECKING:  # numpy and the SCM when rules are solved; the reader only needs Mechanism
    from fmcgm.causal.scm import FiniteSCM


@dataclass(frozen=True)
class Mechanism:
    target: str
    target_value: int
    op: Literal["and", "or"]
    inputs: tuple[tuple[str, int], ...]

    def text(self) -> str:
        lits = f" {self.op} ".join(f"{v}={x}" for v, x in self.inputs)
        return f"{self.target}={self.target_value} iff ({lits})"


@dataclass
class CounterfactualResult:
    determined: bool
    probability: float  # share of consistent exogenous assignments where the outcome holds
    worlds: int
    steps: list[str]


def build_scm(g: CausalGraph, mechanisms: list[Mechanism]) -> FiniteSCM:
    import numpy as np

    from fmcgm.causal.scm import FiniteSCM, FiniteVariable

    by_target: dict[str, Mechanism] = {}
    for m in mechanisms:
        g.require(m.target, *[v for v, _ in m.inputs])
        if m.target in by_target:
            raise InconsistentInputError(f"two mechanisms for {m.target!r}", "state one rule per variable")
        if m.target in {v for v, _ in m.inputs}:
            raise GraphError(f"the mechanism of {m.target!r} uses itself", "a variable cannot cause itself")
        by_target[m.target] = m
    order = _order(g, by_target)
    variables = []
    for name in order:
        if name not in by_target:
            variables.append(FiniteVariable(name, (), (0.5, 0.5), lambda u, pa: u))
            continue
        m = by_target[name]

        def mech(u, pa, m=m):
            lits = [pa[v] == x for v, x in m.inputs]
            hit = np.logical_and.reduce(lits) if m.op == "and" else np.logical_or.reduce(lits)
            return np.where(hit, m.target_value, 1 - m.target_value)

        variables.append(FiniteVariable(name, tuple(dict.fromkeys(v for v, _ in m.inputs)), (1.0,), mech))
    return FiniteSCM(variables, latent=g.latent)


def _order(g: CausalGraph, by_target: dict[str, Mechanism]) -> list[str]:
    import networkx as nx

    d = nx.DiGraph()
    d.add_nodes_from(g.nodes)
    for m in by_target.values():
        d.add_edges_from((v, m.target) for v, _ in m.inputs)
    try:
        return list(nx.topological_sort(d))
    except nx.NetworkXUnfeasible:
        raise GraphError("the mechanisms form a cycle", "each variable must depend only on earlier ones") from None


def counterfactual(g: CausalGraph, mechanisms: list[Mechanism], observed: dict[str, int],
                   intervention: dict[str, int], outcome: tuple[str, int]) -> CounterfactualResult:
    import numpy as np

    scm = build_scm(g, mechanisms)
    steps = ["mechanisms: " + "; ".join(m.text() for m in mechanisms)]
    factual = scm.solve()
    consistent = np.ones_like(scm._w, dtype=bool)
    for k, v in observed.items():
        consistent &= factual[k] == v
    n = int(consistent.sum())
    steps.append(f"abduction: {n} exogenous assignment(s) agree with the observation {observed or '{}'}")
    if n == 0:
        raise InconsistentInputError(f"the observations {observed} contradict the mechanisms",
                                     "check what was observed against the rules")
    cf = scm.solve(intervention)
    hits = cf[outcome[0]][consistent] == outcome[1]
    share = float(hits.mean())
    steps.append(f"action: do({', '.join(f'{k}={v}' for k, v in intervention.items())}); "
                 f"prediction: {outcome[0]}={outcome[1]} in {int(hits.sum())} of {n}")
    return CounterfactualResult(determined=share in (0.0, 1.0), probability=share, worlds=n, steps=steps)
