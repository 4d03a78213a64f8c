"""Structural causal models with exact interventions and counterfactuals.

Two kinds, both exact:

* :class:`FiniteSCM` — discrete variables whose exogenous noise takes finitely
  many values.  Every quantity (observational, interventional, counterfactual,
  nested counterfactuals such as natural effects) is computed by enumerating
  the exogenous worlds, vectorised with numpy.  Deterministic boolean
  mechanisms ("A or B causes C") are the special case with one noise value.
* :class:`AdditiveSCM` — continuous variables ``V = f(pa) + U``; abduction
  recovers U exactly from a complete observation.

Counterfactuals follow abduction (posterior over worlds) → action (replace
mechanisms) → prediction (solve again in the same worlds).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from fmcgm.causal.graph import CausalGraph
from fmcgm.errors import InconsistentInputError, QueryError, UnknownVariableError

# f(u_index_array, {parent: value_array}) -> value_array
Mechanism = Callable[[np.ndarray, Mapping[str, np.ndarray]], np.ndarray]
Intervention = Mapping[str, "int | np.ndarray"]


@dataclass
class FiniteVariable:
    name: str
    parents: tuple[str, ...]
    noise: tuple[float, ...]  # probabilities of the exogenous values 0..n-1
    mechanism: Mechanism
    domain: tuple[int, ...] = (0, 1)


@dataclass
class FiniteSCM:
    variables: list[FiniteVariable]  # topological order
    latent: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for v in self.variables:
            for p in v.parents:
                if p not in seen:
                    raise QueryError(f"parent {p!r} of {v.name!r} must come before it", "list variables in causal order")
            if abs(sum(v.noise) - 1) > 1e-9 or min(v.noise) < 0:
                raise InconsistentInputError(f"noise of {v.name!r} is not a distribution",
                                             "probabilities must be >= 0 and sum to 1")
            seen.add(v.name)
        self._by_name = {v.name: v for v in self.variables}
        sizes = [len(v.noise) for v in self.variables]
        grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
        self._u = {v.name: g.ravel() for v, g in zip(self.variables, grids, strict=True)}
        weights = np.ones(int(np.prod(sizes)))
        for v in self.variables:
            weights = weights * np.asarray(v.noise)[self._u[v.name]]
        self._w = weights

    # -- structure -----------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [v.name for v in self.variables]

    def graph(self) -> CausalGraph:
        edges = [(p, v.name) for v in self.variables for p in v.parents]
        return CausalGraph.build(edges, nodes=self.names, latent=self.latent)

    def _var(self, name: str) -> FiniteVariable:
        if name not in self._by_name:
            raise UnknownVariableError(name, self.names)
        return self._by_name[name]

    # -- solving -------------------------------------------------------------
    def solve(self, intervention: Intervention | None = None) -> dict[str, np.ndarray]:
        """Values of every variable in every exogenous world, under an intervention."""
        do = dict(intervention or {})
        for k in do:
            self._var(k)
        vals: dict[str, np.ndarray] = {}
        n = self._w.shape[0]
        for v in self.variables:
            if v.name in do:
                vals[v.name] = np.broadcast_to(np.asarray(do[v.name]), (n,)).astype(int)
            else:
                vals[v.name] = np.asarray(v.mechanism(self._u[v.name], {p: vals[p] for p in v.parents})).astype(int)
        return vals

    def _mask(self, vals: Mapping[str, np.ndarray], event: Mapping[str, int]) -> np.ndarray:
        m = np.ones_like(self._w, dtype=bool)
        for k, x in event.items():
            m &= vals[k] == x
        return m

    def prob(self, event: Mapping[str, int], given: Mapping[str, int] | None = None,
             do: Intervention | None = None) -> float:
        """P(event | given) in the (possibly intervened) model."""
        vals = self.solve(do)
        den = self._w[self._mask(vals, given or {})].sum()
        if den <= 0:
            raise ZeroDivisionError(f"conditioning event {dict(given or {})} has probability zero")
        return float(self._w[self._mask(vals, {**(given or {}), **event})].sum() / den)

    def counterfactual(self, event: Mapping[str, int], evidence: Mapping[str, int],
                       intervention: Intervention) -> float:
        """P(event under do(intervention) | evidence observed in the factual world)."""
        factual = self.solve()
        post = self._w * self._mask(factual, evidence)
        z = post.sum()
        if z <= 0:
            raise InconsistentInputError(f"the evidence {dict(evidence)} is impossible in this model",
                                         "check the observations against the mechanisms")
        cf = self.solve(intervention)
        return float(post[self._mask(cf, event)].sum() / z)

    def expectation(self, target: str, intervention: Intervention | None = None,
                    evidence: Mapping[str, int] | None = None) -> float:
        factual = self.solve()
        post = self._w * self._mask(factual, evidence or {})
        vals = self.solve(intervention)[target]
        return float((post * vals).sum() / post.sum())

    # -- standard causal quantities (by enumeration; the ground truth for tests) --
    def ate(self, y: str, x: str, x1: int = 1, x0: int = 0) -> float:
        return self.expectation(y, {x: x1}) - self.expectation(y, {x: x0})

    def ett(self, y: str, x: str, treated: int = 1, other: int | None = None) -> float:
        """E[Y_{x'} - Y_x | X = x] with x the treated value and x' the other one."""
        other = 1 - treated if other is None else other
        return self.expectation(y, {x: other}, {x: treated}) - self.expectation(y, {}, {x: treated})

    def nde(self, y: str, x: str, mediators: Sequence[str], x1: int = 1, x0: int = 0) -> float:
        """E[Y_{x1, M_{x0}}] - E[Y_{x0}]."""
        m0 = self.solve({x: x0})
        nested = self.solve({x: x1, **{m: m0[m] for m in mediators}})[y]
        return float((self._w * nested).sum()) - self.expectation(y, {x: x0})

    def nie(self, y: str, x: str, mediators: Sequence[str], x1: int = 1, x0: int = 0) -> float:
        """E[Y_{x0, M_{x1}}] - E[Y_{x0}]."""
        m1 = self.solve({x: x1})
        nested = self.solve({x: x0, **{m: m1[m] for m in mediators}})[y]
        return float((self._w * nested).sum()) - self.expectation(y, {x: x0})

    def joint_lookup(self):
        """A lookup for :func:`fmcgm.causal.expr.evaluate` over this model's observational distribution."""
        vals = self.solve()

        def lookup(event, given):
            den = self._w[self._mask(vals, dict(given))].sum()
            if den <= 0:
                raise ZeroDivisionError(f"P({dict(given)}) = 0")
            return float(self._w[self._mask(vals, {**dict(given), **dict(event)})].sum() / den)

        return lookup


def response_variable(name: str, parents: Sequence[str], p_one: Sequence[float]) -> FiniteVariable:
    """A binary variable with P(V=1 | parent config c) = p_one[c] and independent potential outcomes.

    The exogenous value is the vector of V's outcomes under every parent
    configuration (a response function), so counterfactuals are well defined.
    """
    k = len(parents)
    if len(p_one) != 2 ** k:
        raise QueryError(f"{name!r} needs {2 ** k} probabilities, got {len(p_one)}", "one per parent configuration")
    for p in p_one:
        if not 0 <= p <= 1:
            raise InconsistentInputError(f"probability {p} of {name!r} is outside [0, 1]", "use values in [0, 1]")
    configs = 2 ** k
    noise = []
    for r in range(2 ** configs):
        w = 1.0
        for c in range(configs):
            bit = (r >> c) & 1
            w *= p_one[c] if bit else 1 - p_one[c]
        noise.append(w)
    table = np.array([[(r >> c) & 1 for c in range(configs)] for r in range(2 ** configs)])

    def mech(u: np.ndarray, pa: Mapping[str, np.ndarray]) -> np.ndarray:
        cfg = np.zeros_like(u)
        for j, p in enumerate(parents):
            cfg = cfg | (pa[p].astype(int) << j)
        return table[u, cfg]

    return FiniteVariable(name, tuple(parents), tuple(noise), mech)


@dataclass
class AdditiveSCM:
    """Continuous SCM V = f_V(parents) + U_V; exact abduction from a complete observation."""

    order: list[str]
    parents: dict[str, tuple[str, ...]]
    functions: dict[str, Callable[[Mapping[str, float]], float]]

    def solve(self, noise: Mapping[str, float], intervention: Mapping[str, float] | None = None) -> dict[str, float]:
        do = dict(intervention or {})
        out: dict[str, float] = {}
        for v in self.order:
            out[v] = do[v] if v in do else self.functions[v]({p: out[p] for p in self.parents[v]}) + noise.get(v, 0.0)
        return out

    def abduct(self, observed: Mapping[str, float]) -> dict[str, float]:
        missing = [v for v in self.order if v not in observed]
        if missing:
            raise QueryError(f"abduction needs every variable observed; missing {missing}",
                             "observe all variables (additive-noise abduction is exact only then)")
        return {v: observed[v] - self.functions[v]({p: observed[p] for p in self.parents[v]}) for v in self.order}

    def counterfactual(self, observed: Mapping[str, float], intervention: Mapping[str, float]) -> dict[str, float]:
        return self.solve(self.abduct(observed), intervention)

