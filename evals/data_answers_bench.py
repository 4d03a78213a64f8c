"""Answers from data alone, on random models nobody tuned on: right, honestly open, declined, or WRONG?

``fmcgm eval data-answers`` draws structural causal models at random (binary, continuous
linear, continuous nonlinear, mixed; 4–12 variables; random DAGs, so confounders, colliders
and chains occur as they fall), samples them (n ∈ {1,000, 2,000, 5,000, 20,000}), shuffles the
columns, names them with everyday words, and asks the agent about random pairs — yes/no
("Does X affect Y?", "Does more X lead to more Y?") and how much ("How much does Y change
per unit of X?" — or "By how much does Y rise for each extra X?", "What is the effect on Y of one
more X?" — and "What is the effect of X on Y?") — exactly as ``fmcgm ask --data`` would.
The bnlearn networks shipped with pgmpy are sampled and asked about the same way.

Truth comes from the model, never from the data:

* **effect** — the interventional effect in the contrast the agent reports.  Binary (or
  multi-level) treatment: E[Y | do(X = highest code)] − E[Y | do(X = lowest code)] (for a
  discrete outcome, the change in P(Y = highest code)), by exact enumeration (all-binary
  models), exact variable elimination on the mutilated network (bnlearn), or Monte Carlo with
  the do-operator applied and common random numbers (mixed models).  Continuous treatment: the
  effect of one unit, i.e. the average derivative E[∂/∂x E[Y | do(X = x)]] at the units' own x —
  exactly the total effect Σ over directed paths of the products of coefficients for linear
  models ((I − B)⁻¹), by Monte Carlo shift interventions ±h otherwise.  A treatment that is not
  an ancestor of the outcome has effect exactly 0 (not estimated).
* **class** — the true CPDAG (v-structures and Meek's rules on the true DAG).  The effect is
  determined by the class when it is *amenable* (Perković et al. 2017): every possibly directed
  path from X to Y starts with a directed edge out of X.  Otherwise a "not determined" is honest.

Grading of one question (see :func:`grade`):

* ``right`` — the verdict matches the truth; for "how much" questions the truth also lies in
  the reported 95% interval.
* ``nd_honest`` / ``nd_unneeded`` — "not determined by these data"; honest when the true class
  leaves the effect open, unneeded when the class determines it.
* ``declined`` — no computed answer (an error, a critique rejection, a timeout).
* ``wrong`` — a confident claim contrary to the truth: an effect claimed where the truth is
  exactly 0, a sign opposite to the truth's, a "yes"/"no" that contradicts the truth, or "no
  effect" where the effect is clearly real: |effect| ≥ 0.03 on the probability scale (discrete
  treatment and outcome), or a standardised effect |effect|·sd(X)/sd(Y) ≥ 0.05 otherwise.
* ``miss`` — not right but not WRONG either: a "no effect" on a real effect below those
  thresholds, or a "how much" whose direction is right but whose interval misses the truth.

Coverage is the share of determined answers whose 95% interval holds the truth.  ``misread`` counts
answers about another pair or direction than the one asked (read from the agent's own tool call); such an
answer is never ``right``.

Running: the agent runs in a worker process, as ``fmcgm ask --data`` would run it.  A question may take
``--timeout`` CPU seconds of that worker (CPU, so a busy machine does not turn slow answers into declines;
4× that in wall time at most).  Questions about one dataset share one discovery
(:func:`memoise_discovery`; its seconds are added to each question's time).  ``--resume`` keeps the
answers of an earlier report; after every dataset the rows so far are written beside ``--json``.

Seeds: **tuning seeds are 0–9** (use them while changing the agent; :data:`TUNING_SEEDS`);
**reporting seeds start at 1000** (:data:`REPORT_BASE`) and are the only ones a report uses —
``--seeds 20`` means 1000…1019.  A run on a tuning seed is labelled so.

    fmcgm eval data-answers [--seeds 20 | --seeds 1000-1019 | --seeds 1003,1007] [--quick] [--json OUT]
    python -m evals.data_answers_bench [same options]
"""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import os
import re
import tempfile
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from fmcgm.vocabulary import Outcome

TUNING_SEEDS = tuple(range(10))  # for development of the agent: never in a report
REPORT_BASE = 1000  # reporting seeds are REPORT_BASE, REPORT_BASE + 1, ...
KINDS = ("binary", "linear", "nonlinear", "mixed")
NETWORKS = ("asia", "cancer", "earthquake", "sachs", "child", "insurance", "alarm")
NS = (1000, 2000, 5000, 20000)
QUICK_NS = (1000, 2000)
QUICK_NETWORKS = ("cancer", "asia")
SIZES = (4, 12)  # variables of a random SCM
QUICK_SIZES = (4, 5)
CLEAR_PROB = 0.03  # |P(Y|do(x1)) - P(Y|do(x0))| at or above this is a clearly real effect (discrete X and Y)
CLEAR_STD = 0.05  # the same for a standardised effect, |effect| * sd(X) / sd(Y), when X or Y is continuous
QUESTIONS_PER_DATASET = 3
TIMEOUT_S = 180.0  # CPU seconds a question may take
WALL_FACTOR = 4.0  # ... or this many times that in wall time
MC_N = 200_000  # Monte Carlo units for the truth of mixed and nonlinear models
OUTCOMES = ("right", "nd_honest", "nd_unneeded", "declined", "wrong", "miss")

# everyday column names: no name is a word of another, none is a word the question templates or the
# question reader use ("more", "no", "effect", "change", "unit", ...)
NAMES = (
    "coffee", "sleep", "mood", "exercise", "rainfall", "traffic", "income", "stress", "age", "diet",
    "sunlight", "temperature", "humidity", "price", "sales", "advertising", "commute", "reading", "grades",
    "attendance", "tea", "sugar", "weight", "blood_pressure", "heart_rate", "steps", "calories", "savings",
    "rent", "overtime", "vacation", "music", "gardening", "pollen", "allergies", "headache", "fatigue",
    "appetite", "hydration", "caffeine", "homework", "tutoring", "noise", "crowding", "delays", "fuel",
    "mileage", "tire_wear", "rust", "repairs", "tourism", "hotel_bookings", "ice_cream", "sunburn",
    "umbrellas", "puddles", "slipping", "fertilizer", "crop_yield", "weeds", "irrigation", "harvest",
    "pests", "pesticide", "bees", "honey", "wind", "waves", "surfing", "injuries", "hospital_visits",
    "smoking", "coughing", "cholesterol", "salt", "fiber", "vitamins", "screen_time", "posture", "backache",
)

FORMS = {
    "affects": "Does {x} affect {y}?",
    "positive": "Does more {x} lead to more {y}?",
    "per_unit": "How much does {y} change per unit of {x}?",
    "effect_of": "What is the effect of {x} on {y}?",
}
HOW_MUCH = frozenset({"per_unit", "effect_of"})
# "per unit" questions name the effect first; they are worded three ways (chosen by a hash of the pair, so the
# draws of the random models and questions are those of a run with one wording)
PER_UNIT_WORDINGS = (
    "How much does {y} change per unit of {x}?",
    "By how much does {y} rise for each extra {x}?",
    "What is the effect on {y} of one more {x}?",
)


def question_text(form: str, x: str, y: str, key: str = "") -> str:
    """The question of a form about x → y (``key``, the dataset, varies the per-unit wording)."""
    if form == "per_unit":
        template = PER_UNIT_WORDINGS[zlib.crc32(f"{key}|{x}|{y}".encode()) % len(PER_UNIT_WORDINGS)]
        return template.format(x=_words(x), y=_words(y))
    return FORMS[form].format(x=_words(x), y=_words(y))


def _words(name: str) -> str:
    return name.replace("_", " ")


# --------------------------------------------------------------------------------------------------
# structural causal models

LINKS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "identity": lambda z: z,
    "tanh": lambda z: np.tanh(1.5 * z),
    "cubic": lambda z: z + 0.25 * z ** 3,
    "softplus": lambda z: np.logaddexp(0.0, 2.0 * z) / 2.0,
    "wiggle": lambda z: z + 0.5 * np.sin(2.0 * z),
}  # every link is increasing, so an edge's sign is its weight's sign
NONLINEAR_LINKS = ("tanh", "cubic", "softplus", "wiggle")


def _sigmoid(s: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-s))


@dataclass
class SCM:
    """A structural causal model over named variables, in topological order.

    A node's *signal* is Σ wᵢ·linkᵢ((xᵢ − μᵢ)/σᵢ) over its parents (standardised by constants of
    the model).  A continuous node is signal + noise; a binary node is 1[u < sigmoid(bias + signal)]
    with u uniform on (0, 1).
    """

    kind: str
    order: list[str]
    parents: dict[str, list[str]]
    weights: dict[str, list[float]]
    links: dict[str, list[str]]
    binary: dict[str, bool]
    bias: dict[str, float] = field(default_factory=dict)  # binary nodes
    noise: dict[str, tuple[str, float]] = field(default_factory=dict)  # continuous nodes: (gaussian|uniform, sd)
    mu: dict[str, float] = field(default_factory=dict)
    sd: dict[str, float] = field(default_factory=dict)

    def edges(self) -> list[tuple[str, str]]:
        return [(p, v) for v in self.order for p in self.parents[v]]

    def signal(self, v: str, vals: dict[str, np.ndarray], n: int) -> np.ndarray:
        s = np.zeros(n)
        for p, w, link in zip(self.parents[v], self.weights[v], self.links[v], strict=True):
            s = s + w * LINKS[link]((vals[p] - self.mu[p]) / self.sd[p])
        return s

    def mean(self, v: str, vals: dict[str, np.ndarray], n: int) -> np.ndarray:
        """E[v | its parents' values]: P(v = 1 | parents) for a binary node."""
        s = self.signal(v, vals, n)
        return _sigmoid(self.bias[v] + s) if self.binary[v] else s

    def exogenous(self, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        out = {}
        for v in self.order:
            if self.binary[v]:
                out[v] = rng.random(n)
            else:
                out[v] = _noise(*self.noise[v], n, rng)
        return out

    def propagate(self, exo: dict[str, np.ndarray], do: dict[str, Any] | None = None,
                  stop: str | None = None) -> dict[str, np.ndarray]:
        """Every variable from the exogenous draws, with ``do`` applied (values or per-unit arrays).
        With ``stop``, that node is returned as its conditional mean (E[stop | parents]) and nothing after it."""
        do = do or {}
        n = len(next(iter(exo.values())))
        vals: dict[str, np.ndarray] = {}
        for v in self.order:
            if v in do:
                vals[v] = np.broadcast_to(np.asarray(do[v], dtype=float), (n,)).copy()
            elif v == stop:
                vals[v] = self.mean(v, vals, n)
            elif self.binary[v]:
                vals[v] = (exo[v] < self.mean(v, vals, n)).astype(float)
            else:
                vals[v] = self.signal(v, vals, n) + exo[v]
            if v == stop:
                break
        return vals

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        vals = self.propagate(self.exogenous(n, rng))
        return pd.DataFrame({v: vals[v].astype(int) if self.binary[v] else vals[v] for v in self.order})

    def dag(self) -> nx.DiGraph:
        g = nx.DiGraph()
        g.add_nodes_from(self.order)
        g.add_edges_from(self.edges())
        return g


def random_scm(kind: str, rng: np.random.Generator, names: Iterable[str] = NAMES, k: int | None = None,
               pilot: int = 50_000, sizes: tuple[int, int] = (4, 12)) -> SCM:
    """A random SCM of the given kind (binary, linear, nonlinear, mixed) over 4–12 variables.

    Each node takes 0–3 parents among the earlier ones; about 30% of the edges are weak
    (standardised weight 0.05–0.15, logit 0.2–0.5), the others strong.  Continuous nodes have
    roughly unit variance (weights scaled so that the parents explain at most 80%).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")
    k = int(rng.integers(sizes[0], sizes[1] + 1)) if k is None else k
    pool = list(names)
    order = [str(pool[i]) for i in rng.choice(len(pool), size=k, replace=False)]
    if kind == "mixed":
        flags = rng.random(k) < 0.5
        flags[int(rng.integers(k))] = True
        flags[int(rng.integers(k))] = False  # at least one of each: these two draws, then the check below
        if flags.all() or not flags.any():
            flags[0] = not flags[0]
    else:
        flags = np.full(k, kind == "binary")
    binary = {v: bool(f) for v, f in zip(order, flags, strict=True)}
    parents: dict[str, list[str]] = {}
    for j, v in enumerate(order):
        m = min(j, int(rng.choice(4, p=[0.2, 0.35, 0.3, 0.15])))
        parents[v] = [order[i] for i in sorted(rng.choice(j, size=m, replace=False))] if m else []
    scm = SCM(kind, order, parents, {}, {}, binary)
    vals: dict[str, np.ndarray] = {}
    exo_rng = np.random.default_rng(rng.integers(2 ** 32))
    for v in order:
        weak = rng.random(len(parents[v])) < 0.3
        if binary[v]:
            mag = np.where(weak, rng.uniform(0.2, 0.5, len(weak)), rng.uniform(0.8, 2.0, len(weak)))
        else:
            mag = np.where(weak, rng.uniform(0.05, 0.15, len(weak)), rng.uniform(0.3, 0.9, len(weak)))
        scm.weights[v] = [float(w) for w in mag * rng.choice([-1.0, 1.0], len(weak))]
        scm.links[v] = [str(rng.choice(NONLINEAR_LINKS)) if kind == "nonlinear" else "identity" for _ in parents[v]]
        s = scm.signal(v, vals, pilot)
        if binary[v]:
            scm.bias[v] = float(rng.uniform(-1.0, 1.0) - s.mean())
            vals[v] = (exo_rng.random(pilot) < _sigmoid(scm.bias[v] + s)).astype(float)
        else:
            var = float(s.var())
            if var > 0.8:
                scm.weights[v] = [w * math.sqrt(0.8 / var) for w in scm.weights[v]]
                s, var = s * math.sqrt(0.8 / var), 0.8
            dist = str(rng.choice(["gaussian", "uniform"])) if kind == "nonlinear" else "gaussian"
            scm.noise[v] = (dist, math.sqrt(max(1.0 - var, 0.2)))
            vals[v] = s + _noise(dist, scm.noise[v][1], pilot, exo_rng)
        scm.mu[v] = float(vals[v].mean())
        scm.sd[v] = float(vals[v].std()) or 1.0
    return scm


def _noise(dist: str, scale: float, n: int, rng: np.random.Generator) -> np.ndarray:
    e = rng.standard_normal(n) if dist == "gaussian" else rng.uniform(-math.sqrt(3), math.sqrt(3), n)
    return scale * e


# --------------------------------------------------------------------------------------------------
# truth: effects


@dataclass
class Truth:
    value: float  # the effect in the agent's contrast (see the module docstring)
    se: float  # Monte Carlo standard error (0 when exact)
    method: str  # zero (not an ancestor) / enumeration / paths / monte-carlo / elimination
    sd_x: float
    sd_y: float

    @property
    def exact_zero(self) -> bool:
        return self.method == "zero"


def is_ancestor(dag: nx.DiGraph, x: str, y: str) -> bool:
    return x != y and nx.has_path(dag, x, y)


def true_effect(scm: SCM, x: str, y: str, mc_n: int = MC_N, seed: int = 0) -> Truth:
    """The interventional effect of x on y (see the module docstring for the contrast)."""
    sd_x, sd_y = _sd(scm, x), _sd(scm, y)
    if not is_ancestor(scm.dag(), x, y):
        return Truth(0.0, 0.0, "zero", sd_x, sd_y)
    if all(scm.binary.values()):
        return Truth(enumerate_binary(scm, x, y), 0.0, "enumeration", sd_x, sd_y)
    if not any(scm.binary.values()) and all(lk == "identity" for ls in scm.links.values() for lk in ls):
        return Truth(linear_total_effect(scm, x, y), 0.0, "paths", sd_x, sd_y)
    value, se = monte_carlo_effect(scm, x, y, mc_n, seed)
    return Truth(value, se, "monte-carlo", sd_x, sd_y)


def _sd(scm: SCM, v: str) -> float:
    return scm.sd[v]


def enumerate_binary(scm: SCM, x: str, y: str) -> float:
    """P(y = 1 | do(x = 1)) − P(y = 1 | do(x = 0)) of an all-binary SCM by exact enumeration."""
    others = [v for v in scm.order if v != x]
    states = np.array(np.meshgrid(*[[0.0, 1.0]] * len(others), indexing="ij")).reshape(len(others), -1)
    out = []
    for xv in (0.0, 1.0):
        vals = {v: states[i] for i, v in enumerate(others)}
        vals[x] = np.full(states.shape[1], xv)
        joint = np.ones(states.shape[1])
        for v in others:
            p = scm.mean(v, vals, states.shape[1])
            joint *= np.where(vals[v] == 1.0, p, 1.0 - p)
        out.append(float((joint * vals[y]).sum()))
    return out[1] - out[0]


def linear_total_effect(scm: SCM, x: str, y: str) -> float:
    """Σ over directed paths x → … → y of the products of the coefficients: ((I − B)⁻¹)[x, y]."""
    idx = {v: i for i, v in enumerate(scm.order)}
    b = np.zeros((len(idx), len(idx)))
    for v in scm.order:
        for p, w in zip(scm.parents[v], scm.weights[v], strict=True):
            b[idx[p], idx[v]] = w / scm.sd[p]
    return float(np.linalg.inv(np.eye(len(idx)) - b)[idx[x], idx[y]])


def monte_carlo_effect(scm: SCM, x: str, y: str, n: int = MC_N, seed: int = 0) -> tuple[float, float]:
    """The effect by do-interventions on common random numbers (the outcome taken as its conditional mean):
    a binary x: do(x=1) − do(x=0); a continuous x: the average of [E(y | do(x = xᵤ + h)) − E(y | do(x = xᵤ − h))]/2h."""
    rng = np.random.default_rng(seed)
    exo = scm.exogenous(n, rng)
    if scm.binary[x]:
        hi, lo = scm.propagate(exo, {x: 1.0}, stop=y)[y], scm.propagate(exo, {x: 0.0}, stop=y)[y]
        d = hi - lo
    else:
        natural = scm.propagate(exo)[x]
        h = (0.1 if any(scm.binary.values()) else 0.01) * scm.sd[x]
        up = scm.propagate(exo, {x: natural + h}, stop=y)[y]
        down = scm.propagate(exo, {x: natural - h}, stop=y)[y]
        d = (up - down) / (2 * h)
    return float(d.mean()), float(d.std() / math.sqrt(n))


# --------------------------------------------------------------------------------------------------
# truth: the equivalence class


def cpdag(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> tuple[set[tuple[str, str]], set[frozenset[str]]]:
    """The CPDAG of a DAG: its v-structures oriented, then Meek's rules 1–3 to a fixed point.
    Returns (directed edges, undirected edges)."""
    edges = list(edges)
    adj: dict[str, set[str]] = {v: set() for v in nodes}
    pa: dict[str, set[str]] = {v: set() for v in nodes}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
        pa[b].add(a)
    directed: set[tuple[str, str]] = set()
    for c in adj:
        ps = sorted(pa[c])
        for i, a in enumerate(ps):
            for b in ps[i + 1:]:
                if b not in adj[a]:
                    directed |= {(a, c), (b, c)}
    undirected = {frozenset(e) for e in edges if e not in directed}

    def und(a: str, b: str) -> bool:
        return frozenset((a, b)) in undirected

    changed = True
    while changed:
        changed = False
        for e in sorted(undirected, key=sorted):
            a, b = sorted(e)
            for u, v in ((a, b), (b, a)):
                r1 = any((w, u) in directed and v not in adj[w] for w in adj[u] if w != v)
                r2 = any((u, w) in directed and (w, v) in directed for w in adj[u])
                r3 = any((c, v) in directed and (d, v) in directed and und(u, c) and und(u, d) and d not in adj[c]
                         for c in adj[u] for d in adj[u] if c < d)
                if r1 or r2 or r3:
                    undirected.discard(e)
                    directed.add((u, v))
                    changed = True
                    break
    return directed, undirected


def class_determines(nodes: Iterable[str], edges: Iterable[tuple[str, str]], x: str, y: str) -> bool:
    """Whether the CPDAG of the DAG determines the effect of x on y (amenability, Perković et al. 2017):
    no possibly directed path from x to y starts with an undirected edge at x."""
    nodes = list(nodes)
    directed, undirected = cpdag(nodes, edges)
    nbrs = {next(iter(e - {x})) for e in undirected if x in e}
    g = nx.DiGraph()
    g.add_nodes_from(v for v in nodes if v != x)
    g.add_edges_from((a, b) for a, b in directed if x not in (a, b))
    for e in undirected:
        if x not in e:
            a, b = tuple(e)
            g.add_edges_from([(a, b), (b, a)])
    return not any(w == y or nx.has_path(g, w, y) for w in nbrs)


def relation(dag: nx.DiGraph, x: str, y: str) -> str:
    """direct / indirect (x an ancestor of y) / reverse (y an ancestor of x) / confounded (a common ancestor) / unrelated."""
    if dag.has_edge(x, y):
        return "direct"
    if is_ancestor(dag, x, y):
        return "indirect"
    if is_ancestor(dag, y, x):
        return "reverse"
    if nx.ancestors(dag, x) & nx.ancestors(dag, y):
        return "confounded"
    return "unrelated"


# --------------------------------------------------------------------------------------------------
# bnlearn networks


def network_effect(name: str, x: str, y: str, x_codes: tuple[int, int] | None = None,
                   y_code: int | None = None) -> Truth:
    """P(y = last | do(x = last)) − P(y = last | do(x = first)) on a shipped bnlearn network, exactly
    (variable elimination on the network with x's incoming edges cut), in the code order of
    :func:`fmcgm.discovery.networks.sample` — the contrast the agent reports for multi-level columns.
    ``x_codes`` (low, high) and ``y_code``: the codes the data actually show (a rare state missing from a
    sample moves the agent's contrast to the highest and lowest codes present)."""
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.inference import VariableElimination

    from fmcgm.discovery.networks import load_network

    model = load_network(name)
    dag = nx.DiGraph(list(model.edges()))
    dag.add_nodes_from(model.nodes())
    kx, ky = len(model.states[x]), len(model.states[y])
    sd_x = sd_y = 1.0
    if not is_ancestor(dag, x, y):
        return Truth(0.0, 0.0, "zero", sd_x, sd_y)
    cut = model.copy()
    for p in list(cut.get_parents(x)):
        cut.remove_edge(p, x)
    cut.remove_cpds(cut.get_cpds(x))
    cut.add_cpds(TabularCPD(x, kx, [[1.0 / kx]] * kx, state_names={x: list(model.states[x])}))
    ve = VariableElimination(cut)
    lo, hi = x_codes if x_codes is not None else (0, kx - 1)
    yc = ky - 1 if y_code is None else y_code
    ps = []
    for code in (hi, lo):
        q = ve.query([y], evidence={x: model.states[x][code]}, show_progress=False)
        ps.append(float(np.asarray(q.values)[yc]))
    return Truth(ps[0] - ps[1], 0.0, "elimination", sd_x, sd_y)


# --------------------------------------------------------------------------------------------------
# datasets and questions


@dataclass
class Question:
    dataset: str
    kind: str
    n: int
    seed: int
    form: str
    text: str
    x: str
    y: str
    relation: str
    truth: float
    truth_se: float
    truth_method: str
    exact_zero: bool
    std_truth: float | None  # |effect| in standard deviations (None on the probability scale)
    scale: str  # probability (discrete X and Y) / standardised
    clear: bool  # the effect is clearly real (see CLEAR_PROB, CLEAR_STD)
    class_determined: bool  # the true CPDAG determines the effect


@dataclass
class Dataset:
    key: str
    kind: str
    source: str  # "scm" or the network's name
    n: int
    seed: int
    frame: pd.DataFrame
    questions: list[Question]


def _clear(t: Truth, discrete_x: bool, discrete_y: bool) -> tuple[bool, float | None, str]:
    if discrete_x and discrete_y:
        return abs(t.value) >= CLEAR_PROB, None, "probability"
    std = t.value * t.sd_x / t.sd_y if t.sd_y > 0 else 0.0
    return abs(std) >= CLEAR_STD, std, "standardised"


def _pairs(dag: nx.DiGraph, rng: np.random.Generator, count: int) -> list[tuple[str, str]]:
    """``count`` ordered pairs: ancestor → descendant and non-ancestor pairs in turn (as available)."""
    nodes = sorted(dag.nodes)
    all_pairs = [(a, b) for a in nodes for b in nodes if a != b]
    anc = [p for p in all_pairs if is_ancestor(dag, *p)]
    non = [p for p in all_pairs if not is_ancestor(dag, *p)]
    out: list[tuple[str, str]] = []
    for i in range(count):
        pool = [p for p in (anc if i % 2 == 0 else non) if p not in out] or [p for p in all_pairs if p not in out]
        if not pool:
            break
        out.append(pool[int(rng.integers(len(pool)))])
    return out


def _question(key: str, kind: str, n: int, seed: int, rng: np.random.Generator, x: str, y: str, truth: Truth,
              dag: nx.DiGraph, discrete: dict[str, bool]) -> Question:
    form = str(rng.choice(list(FORMS)))
    clear, std, scale = _clear(truth, discrete[x], discrete[y])
    return Question(key, kind, n, seed, form, question_text(form, x, y, key), x, y,
                    relation(dag, x, y), truth.value, truth.se, truth.method, truth.exact_zero, std, scale, clear,
                    class_determines(list(dag.nodes), list(dag.edges), x, y))


def scm_dataset(kind: str, seed: int, n: int, questions: int = QUESTIONS_PER_DATASET, mc_n: int = MC_N,
                sizes: tuple[int, int] = (4, 12)) -> Dataset:
    """One random SCM of ``kind`` for ``seed``, ``n`` rows in shuffled columns, and its questions with their truths."""
    rng = np.random.default_rng([seed, KINDS.index(kind), n, *sizes])
    scm = random_scm(kind, rng, sizes=sizes)
    frame = scm.sample(n, np.random.default_rng(rng.integers(2 ** 32)))
    frame = frame[[str(c) for c in rng.permutation(frame.columns)]]
    key = f"{kind}-s{seed}-n{n}" + ("" if tuple(sizes) == SIZES else f"-v{sizes[0]}to{sizes[1]}")
    dag = scm.dag()
    qs = [_question(key, kind, n, seed, rng, x, y, true_effect(scm, x, y, mc_n, seed), dag, scm.binary)
          for x, y in _pairs(dag, rng, questions)]
    return Dataset(key, kind, "scm", n, seed, frame, qs)


def network_dataset(name: str, seed: int, n: int, questions: int = QUESTIONS_PER_DATASET) -> Dataset:
    """n samples of a shipped bnlearn network (codes 0..k−1, columns shuffled) and questions about random pairs."""
    from fmcgm.discovery.networks import load_network, sample

    rng = np.random.default_rng([seed, 99, NETWORKS.index(name), n])
    frame = sample(name, n, seed=int(rng.integers(2 ** 31)))
    frame = frame[[str(c) for c in rng.permutation(frame.columns)]]
    model = load_network(name)
    dag = nx.DiGraph([(str(a), str(b)) for a, b in model.edges()])
    dag.add_nodes_from(str(v) for v in model.nodes())
    key = f"bnlearn:{name}-s{seed}-n{n}"
    # a column with one observed level carries nothing to ask about
    usable = nx.DiGraph(dag)
    usable.remove_nodes_from([c for c in frame.columns if frame[c].nunique() < 2])
    discrete = {v: True for v in dag.nodes}
    def truth(x: str, y: str) -> Truth:
        return network_effect(name, x, y, (int(frame[x].min()), int(frame[x].max())), int(frame[y].max()))

    qs = [_question(key, "bnlearn", n, seed, rng, x, y, truth(x, y), dag, discrete) for x, y in _pairs(usable, rng, questions)]
    return Dataset(key, "bnlearn", name, n, seed, frame, qs)


def parse_seeds(spec: str | int | None) -> list[int]:
    """``20`` → the first 20 reporting seeds (1000…1019); ``1000-1004``; ``0,3,1002``."""
    if spec is None or spec == "":
        return [REPORT_BASE + i for i in range(8)]
    if isinstance(spec, int):
        return [REPORT_BASE + i for i in range(spec)]
    s = str(spec).strip()
    if re.fullmatch(r"\d+", s):
        return [REPORT_BASE + i for i in range(int(s))]
    if m := re.fullmatch(r"(\d+)\s*-\s*(\d+)", s):
        a, b = int(m.group(1)), int(m.group(2))
        if b < a:
            raise ValueError(f"empty seed range {s!r}")
        return list(range(a, b + 1))
    try:
        return [int(t) for t in s.split(",") if t.strip()]
    except ValueError:
        raise ValueError(f"cannot read seeds {s!r}: give a count (20), a range (1000-1019) or a list (1000,1003)") from None


@dataclass
class Plan:
    kind: str
    source: str
    seed: int
    n: int
    questions: int
    sizes: tuple[int, int] = (4, 12)


def plan(seeds: list[int], quick: bool = False, kinds: Iterable[str] = (*KINDS, "bnlearn"),
         networks: Iterable[str] = NETWORKS, questions: int | None = None) -> list[Plan]:
    """The datasets of a run: per seed, one SCM of each kind and one bnlearn network, n and the
    network cycling with the seed.  ``quick``: the first seed only, n ∈ {1,000, 2,000}, SCMs of 4–5 variables,
    small networks, 2 questions a dataset."""
    kinds = list(kinds)
    nets = [n for n in networks if n in NETWORKS]
    ns = QUICK_NS if quick else NS
    if quick:
        seeds = seeds[:1]
        nets = [n for n in nets if n in QUICK_NETWORKS] or nets[:1]
    q = questions or (2 if quick else QUESTIONS_PER_DATASET)
    out = []
    for s in seeds:
        for i, k in enumerate(kinds):
            if k == "bnlearn":
                if nets:
                    out.append(Plan("bnlearn", nets[s % len(nets)], s, ns[(s // len(nets) + s) % len(ns)], q))
            else:
                out.append(Plan(k, "scm", s, ns[(s + i) % len(ns)], q, QUICK_SIZES if quick else SIZES))
    return out


def build(p: Plan, mc_n: int = MC_N) -> Dataset:
    if p.kind == "bnlearn":
        return network_dataset(p.source, p.seed, p.n, p.questions)
    return scm_dataset(p.kind, p.seed, p.n, p.questions, mc_n, p.sizes)


# --------------------------------------------------------------------------------------------------
# asking the agent


def ask_agent(question: str, csv: str, trace_db: str) -> dict[str, Any]:
    """One question through the agent as ``fmcgm ask --data CSV`` runs it; what the user sees, plus what was read."""
    from agent.configuration import Settings
    from agent.graph import build_graph, run_question

    t0 = time.perf_counter()
    st = Settings(data_path=csv, trace_db=trace_db)
    state = run_question(question, settings=st, app=build_graph(settings=st))
    seconds = time.perf_counter() - t0
    ans = state.get("answer") or {}
    turn = state.get("turn_result") or {}
    result = (turn.get("result") if isinstance(turn, dict) else None) or {}
    data = result.get("data") or {} if result.get("ok") and turn.get("tool") == "estimate_from_data" else {}
    read = next((s.get("args") or {} for s in reversed(state.get("trace") or [])
                 if s.get("tool") == "estimate_from_data"), {})
    text = ans.get("text") or ""
    ci = data.get("ci") if data.get("determined") else None
    if ci is None and data.get("determined"):
        m = re.search(r"CI (-?[\d.]+) to (-?[\d.]+)", text)
        ci = [float(m.group(1)), float(m.group(2))] if m else None
    return {"outcome": ans.get("outcome"), "answer": ans.get("answer"), "value": ans.get("value"),
            "ci": ci, "range": data.get("range"), "determined": data.get("determined"),
            "verdict": data.get("verdict"), "error": ans.get("error"), "text": text,
            "read_as": [read.get("treatment"), read.get("outcome"), read.get("claim")] if read else None,
            "seconds": seconds}


_DISCOVERY_SECONDS: list[tuple[float, float]] = []  # (wall, CPU) s of discovery replayed from the memo for this question


def memoise_discovery() -> bool:
    """Within the benchmark's worker only: the agent's ``discover`` remembered per table content and arguments.

    Discovery is deterministic for a given file (PC; the additive-noise test subsamples with a fixed
    seed), so several questions about one dataset get the graph the first question got, without
    searching again; the seconds that first search took are added to every later question's time,
    so "seconds per question" is what a user asking that question alone would wait.  Returns
    whether the memo is in place (it is not when the tool module no longer calls ``discover``)."""
    import copy
    import hashlib

    try:
        import tools.discovery_tools as dt
    except ImportError:
        return False
    inner = getattr(dt, "discover", None)
    if inner is None or getattr(inner, "_bench_memo", False):
        return inner is not None
    memo: dict[str, tuple[Any, float, float]] = {}

    def discover(table, *args, **kwargs):
        h = hashlib.sha256(repr((table.names, table.kinds, args, sorted(kwargs.items()))).encode())
        for c in table.names:
            h.update(np.ascontiguousarray(table.columns[c]).tobytes())
        key = h.hexdigest()
        if key not in memo:
            t0, c0 = time.perf_counter(), time.process_time()
            result = inner(table, *args, **kwargs)
            memo[key] = (result, time.perf_counter() - t0, time.process_time() - c0)
        else:
            _DISCOVERY_SECONDS.append(memo[key][1:])
        return copy.deepcopy(memo[key][0])

    discover._bench_memo = True  # type: ignore[attr-defined]
    dt.discover = discover
    return True


def _serve(conn, memo: bool) -> None:  # pragma: no cover - runs in the worker process
    tmp = tempfile.mkdtemp(prefix="fmcgm-bench-")
    memo = memo and memoise_discovery()
    while True:
        job = conn.recv()
        if job is None:
            return
        question, csv = job
        _DISCOVERY_SECONDS.clear()
        c0 = time.process_time()
        try:
            got = ask_agent(question, csv, str(Path(tmp) / "t.sqlite"))
        except Exception as e:  # noqa: BLE001 - an agent crash is a declined answer, recorded with its message
            got = {"outcome": "error", "answer": None, "value": None, "ci": None, "range": None,
                   "determined": None, "verdict": None, "error": f"{type(e).__name__}: {e}", "text": "",
                   "read_as": None, "seconds": 0.0}
        got["replayed_discovery_s"] = sum(w for w, _ in _DISCOVERY_SECONDS)
        got["wall_s"] = got["seconds"]
        got["seconds"] += got["replayed_discovery_s"]
        got["cpu_s"] = time.process_time() - c0 + sum(c for _, c in _DISCOVERY_SECONDS)
        got["memo"] = memo
        conn.send(got)


class Worker:
    """The agent in a child process, so that a question past its time limit can be cut off."""

    def __init__(self, memo: bool = True, wall_factor: float = WALL_FACTOR) -> None:
        self._ctx = mp.get_context("spawn")
        self.memo = memo
        self.wall_factor = wall_factor
        self._start()

    def _start(self) -> None:
        self.conn, child = self._ctx.Pipe()
        self.proc = self._ctx.Process(target=_serve, args=(child, self.memo), daemon=True)
        self.proc.start()

    def ask(self, question: str, csv: str, timeout: float) -> dict[str, Any]:
        """The answer, or a timeout once the worker has spent ``timeout`` CPU seconds on the question (CPU, not wall
        time, so that a machine shared with other jobs does not turn slow answers into declines), or
        ``wall_factor`` (default :data:`WALL_FACTOR`) times that in wall time."""
        t0 = time.perf_counter()
        cpu0 = self._cpu()
        self.conn.send((question, csv))
        while not self.conn.poll(1.0):
            cpu = self._cpu() - cpu0
            wall = time.perf_counter() - t0
            if cpu > timeout or wall > self.wall_factor * timeout:
                self.proc.kill()
                self.proc.join()
                self._start()
                return {"outcome": "timeout", "answer": None, "value": None, "ci": None, "range": None,
                        "determined": None, "verdict": None, "text": "", "read_as": None,
                        "error": f"no answer within {timeout:g} CPU s ({cpu:.0f} CPU s, {wall:.0f} s wall)",
                        "seconds": wall, "wall_s": wall, "cpu_s": cpu, "replayed_discovery_s": 0.0, "memo": self.memo}
        return self.conn.recv()

    def _cpu(self) -> float:
        """CPU seconds (user + system, all threads) of the worker so far; 0 where /proc cannot say."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return 0.0

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()


# --------------------------------------------------------------------------------------------------
# grading


def asserted(got: dict[str, Any]) -> str | None:
    """The effect the answer claims: "+" / "-" / "0" (no effect detectable) / None (no claim)."""
    v = (got.get("verdict") or got.get("text") or "").lower()
    if " increases " in f" {v} ":
        return "+"
    if " decreases " in f" {v} ":
        return "-"
    if "no effect" in v:
        return "0"
    return None


def _truth_token(form: str, t: float) -> str:
    if form == "positive":
        return "yes" if t > 0 else "no"
    return "yes" if t != 0 else "no"


def grade(q: Question, got: dict[str, Any]) -> dict[str, Any]:
    """The outcome of one answer (right / nd_honest / nd_unneeded / declined / wrong / miss), why, and coverage.

    ``misread``: the agent estimated another pair or direction than the question's (it says which); such an
    answer is graded against the question's truth like any other, but is never ``right``."""
    g = _grade(q, got)
    read = got.get("read_as") or []
    g["misread"] = bool(read) and (read[0], read[1]) != (q.x, q.y)
    if g["misread"] and g["outcome"] == "right":
        g["outcome"], g["why"] = "miss", f"answered about {read[0]} → {read[1]}, not {q.x} → {q.y}"
    elif g["misread"]:
        g["why"] += f" (answered about {read[0]} → {read[1]})"
    return g


def _grade(q: Question, got: dict[str, Any]) -> dict[str, Any]:
    t = q.truth
    ci = got.get("ci")
    covered = None if not ci else bool(ci[0] - 1e-9 <= t <= ci[1] + 1e-9)
    if got.get("outcome") != Outcome.ANSWERED or (got.get("determined") is None and got.get("answer") is None
                                             and not got.get("range")):
        return {"outcome": "declined", "why": got.get("error") or got.get("outcome") or "no answer", "covered": None}
    if not got.get("determined") and got.get("answer") is None:
        rng = got.get("range")
        inside = None if not rng else bool(rng[0] - 1e-9 <= t <= rng[1] + 1e-9)
        return {"outcome": "nd_unneeded" if q.class_determined else "nd_honest",
                "why": "the true class " + ("determines the effect" if q.class_determined else "leaves the effect open"),
                "covered": None, "range_holds_truth": inside}
    claim = asserted(got)
    sign = "+" if t > 0 else "-" if t < 0 else "0"
    token = got.get("answer")
    if claim in ("+", "-") and q.exact_zero:
        return {"outcome": "wrong", "why": f"claims an effect ({claim}) where the truth is exactly 0", "covered": covered}
    if claim in ("+", "-") and sign not in ("0", claim):
        return {"outcome": "wrong", "why": f"claims the sign {claim}, the truth is {t:+.4f}", "covered": covered}
    if claim == "0" and t != 0 and q.clear:
        return {"outcome": "wrong", "why": f"'no effect' where the effect is clearly real ({t:+.4f})", "covered": covered}
    if q.form in HOW_MUCH:
        if claim == "0" and t != 0 and not covered:
            return {"outcome": "miss", "why": f"'no effect' on a weak real effect ({t:+.4f})", "covered": covered}
        if not covered:
            return {"outcome": "miss", "why": f"the interval {ci} misses the truth {t:+.4f}", "covered": covered}
        return {"outcome": "right", "why": "", "covered": covered}
    want = _truth_token(q.form, t)
    if token != want:
        if token == "yes":
            return {"outcome": "wrong", "why": f"'yes' where the truth ({t:+.4f}) says no", "covered": covered}
        if q.clear:
            return {"outcome": "wrong", "why": f"'no' where the truth ({t:+.4f}) says yes", "covered": covered}
        return {"outcome": "miss", "why": f"'no' on a weak real effect ({t:+.4f})", "covered": covered}
    return {"outcome": "right", "why": "", "covered": covered}


# --------------------------------------------------------------------------------------------------
# running and reporting


def evaluate(seeds: list[int], quick: bool = False, kinds: Iterable[str] = (*KINDS, "bnlearn"),
             networks: Iterable[str] = NETWORKS, questions: int | None = None, timeout: float = TIMEOUT_S,
             mc_n: int = MC_N, progress: bool = True, asker: Callable[[str, str, float], dict] | None = None,
             time_budget: float | None = None, memo: bool = True, reuse: dict[str, dict] | None = None,
             partial: Path | None = None, wall_factor: float = WALL_FACTOR) -> dict[str, Any]:
    """Build the datasets of ``plan``, ask every question through the agent, grade; the report as a dict.
    ``time_budget`` (s): no new dataset once spent (the report says how many questions were asked).
    ``memo``: one discovery per dataset (see :func:`memoise_discovery`).
    ``reuse``: answers of an earlier run of the same agent (:func:`reusable`); those questions are graded again
    against the truth computed now, not asked again.  ``partial``: the rows so far are written there after
    every dataset (a run cut short can be resumed from it).  ``wall_factor``: a question may take that many times
    ``timeout`` in wall time (raise it on a machine shared with other jobs)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    plans = plan(seeds, quick, kinds, networks, questions)
    t_start = time.perf_counter()
    rows: list[dict[str, Any]] = []
    worker = None if asker is not None else Worker(memo, wall_factor)
    ask = asker or (lambda qu, csv, to: worker.ask(qu, csv, to))  # type: ignore[union-attr]
    stopped = False
    total = sum(p.questions for p in plans)
    try:
        with tempfile.TemporaryDirectory() as tmp, Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                disable=not progress) as bar:
            task = bar.add_task("questions", total=total)
            for p in plans:
                if time_budget is not None and time.perf_counter() - t_start > time_budget:
                    stopped = True
                    break
                bar.update(task, description=f"{p.kind} {p.source if p.kind == 'bnlearn' else ''} n={p.n} seed={p.seed}")
                ds = build(p, mc_n)
                csv = Path(tmp) / f"{ds.key.replace(':', '_')}.csv"
                ds.frame.to_csv(csv, index=False)
                timed_out = False
                for q in ds.questions:
                    if reuse and question_key(q) in reuse:
                        got = {**reuse[question_key(q)], "reused": True}
                    elif timed_out:  # the same search would run out of time again: not asked, counted as declined
                        got = {"outcome": "timeout", "answer": None, "value": None, "ci": None, "range": None,
                               "determined": None, "verdict": None, "text": "", "read_as": None, "asked": False,
                               "error": f"not asked: an earlier question on this dataset took over {timeout:g} CPU s",
                               "seconds": 0.0, "wall_s": 0.0, "cpu_s": None, "replayed_discovery_s": 0.0}
                    else:
                        got = ask(q.text, str(csv), timeout)
                        timed_out = got.get("outcome") == "timeout"
                    g = grade(q, got)
                    rows.append({**asdict(q), "network": ds.source if ds.kind == "bnlearn" else None,
                                 "columns": len(ds.frame.columns), "got": got, **g})
                    bar.advance(task)
                bar.advance(task, p.questions - len(ds.questions))
                if partial is not None:
                    partial.write_text(json.dumps({"rows": rows}, default=str))
    finally:
        if worker is not None:
            worker.close()
    used = {p.seed for p in plans}
    return {"seeds": sorted({r["seed"] for r in rows}), "seeds_planned": sorted(used),
            "tuning_seeds_used": sorted(used & set(TUNING_SEEDS)), "quick": quick,
            "timeout_cpu_s": timeout, "wall_factor": wall_factor, "discovery_memo": memo and asker is None,
            "questions_planned": total,
            "reused": sum(bool(r["got"].get("reused")) for r in rows),
            "stopped_by_budget": stopped,
            "seconds": time.perf_counter() - t_start, "clear_prob": CLEAR_PROB, "clear_std": CLEAR_STD,
            "rows": rows, "tables": tables(rows), "declined_because": decline_reasons(rows)}


def decline_reasons(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Why the declined questions were declined, counted: the critique's rejection, the time limit, or the message."""
    out: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["outcome"] != Outcome.DECLINED:
            continue
        g, err = r["got"], r["got"].get("error") or ""
        key = ("past the time limit" if g.get("outcome") == "timeout"
               else "the critique rejected the discovered graph" if "data reject" in err or "critique" in err
               else (err.split(";")[0][:100] or str(g.get("outcome"))))
        out[key] += 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def question_key(q: Question | dict[str, Any]) -> str:
    d = asdict(q) if isinstance(q, Question) else q
    return f"{d['dataset']}|{d['x']}|{d['y']}|{d['form']}"


def reusable(path: Path) -> dict[str, dict]:
    """The answers of an earlier report (``--json``) that can stand: every asked question that did not time out."""
    rows = json.loads(Path(path).read_text())["rows"]
    return {question_key(r): r["got"] for r in rows
            if r["got"].get("outcome") != "timeout" and r["got"].get("asked", True)}


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    c = {o: sum(r["outcome"] == o for r in rows) for o in OUTCOMES}
    cov = [r["covered"] for r in rows if r.get("covered") is not None]
    secs = [r["got"]["seconds"] for r in rows]
    cpus = [r["got"]["cpu_s"] for r in rows if r["got"].get("cpu_s") is not None]
    return {"questions": len(rows), **c, "misread": sum(bool(r.get("misread")) for r in rows),
            "coverage": (sum(cov) / len(cov)) if cov else None, "covered_of": len(cov),
            "seconds_per_question": float(np.mean(secs)) if secs else None,
            "cpu_seconds_per_question": float(np.mean(cpus)) if cpus else None}


def tables(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {"all": {"all": summarise(rows)}}
    for name, key in (("kind", lambda r: r["kind"]), ("n", lambda r: str(r["n"])),
                      ("form", lambda r: r["form"]), ("relation", lambda r: r["relation"]),
                      ("truth", _strength), ("network", lambda r: r["network"])):
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            k = key(r)
            if k is not None:
                groups[k].append(r)
        out[name] = {k: summarise(v) for k, v in sorted(groups.items(), key=lambda kv: _order(kv[0]))}
    return out


def _order(k: str) -> tuple:
    order = [*KINDS, "bnlearn", "zero", "weak", "clear"]
    return (0, order.index(k), "") if k in order else (1, int(k), "") if k.isdigit() else (2, 0, k)


def _strength(r: dict[str, Any]) -> str:
    return "zero" if r["exact_zero"] else "clear" if r["clear"] else "weak"


HEAD = ("questions", "right", "nd_honest", "nd_unneeded", "declined", "wrong", "miss", "misread")
SHORT = ("q", "right", "nd honest", "nd unneeded", "declined", "WRONG", "miss", "misread", "coverage", "CPU s / q",
         "wall s / q")
SECTIONS = (("all", "overall"), ("kind", "by kind of data"), ("n", "by n"), ("form", "by question form"),
            ("relation", "by relation of the pair"), ("truth", "by size of the true effect"),
            ("network", "bnlearn, by network"))


def _cells(s: dict[str, Any]) -> list[str]:
    cov = "—" if s["coverage"] is None else f"{s['coverage']:.0%} ({s['covered_of']})"
    sec = "—" if s["seconds_per_question"] is None else f"{s['seconds_per_question']:.1f}"
    cpu = "—" if s.get("cpu_seconds_per_question") is None else f"{s['cpu_seconds_per_question']:.1f}"
    return [str(s[h]) for h in HEAD[:8]] + [cov, cpu, sec]


def print_report(rep: dict[str, Any], console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    if not console.is_terminal:
        console.width = max(console.width, 150)
    if rep["tuning_seeds_used"]:
        console.print(f"[yellow]TUNING seeds {rep['tuning_seeds_used']} are in this run: not a report "
                      f"(reporting seeds start at {REPORT_BASE})[/]")
    for name, title in SECTIONS:
        if not rep["tables"].get(name):
            continue
        t = Table(title=title)
        t.add_column(name)
        for c in SHORT:
            t.add_column(c, justify="right")
        for k, s in rep["tables"][name].items():
            t.add_row(k, *_cells(s))
        console.print(t)
    reasons = decline_reasons(rep["rows"])
    if reasons:
        console.print("declined because: " + "; ".join(f"{k} ({v})" for k, v in reasons.items()))
    wrong = [r for r in rep["rows"] if r["outcome"] == "wrong"]
    if wrong:
        console.print("[bold]WRONG answers[/]")
        for r in wrong:
            d, q, truth, ans, why, how = wrong_row(r)
            console.print(f"  {d}: {q!r}  truth {truth}; answer {ans}; {why}; estimated {how}")
    console.print(f"{len(rep['rows'])} of {rep['questions_planned']} questions asked in {rep['seconds']:.0f} s"
                  + (" (stopped by the time budget)" if rep["stopped_by_budget"] else ""))


def markdown(rep: dict[str, Any]) -> str:
    """The report's tables and WRONG cases as Markdown (for the README or a review)."""
    out = []
    for name, title in SECTIONS:
        if not rep["tables"].get(name):
            continue
        out += [f"**{title}**", "", "| " + " | ".join((name, *SHORT)) + " |", "|" + " --- |" * (len(SHORT) + 1)]
        out += ["| " + " | ".join((k, *_cells(s))) + " |" for k, s in rep["tables"][name].items()]
        out.append("")
    reasons = decline_reasons(rep["rows"])
    if reasons:
        out += ["**declined because**", ""] + [f"- {k}: {v}" for k, v in reasons.items()] + [""]
    wrong = [r for r in rep["rows"] if r["outcome"] == "wrong"]
    if wrong:
        out += ["**WRONG answers**", "", "| dataset | question | truth | answer | why | estimated |", "|" + " --- |" * 6]
        out += ["| " + " | ".join(c.replace("|", "/") for c in wrong_row(r)) + " |" for r in wrong]
    return "\n".join(out) + "\n"


def wrong_row(r: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
    g = r["got"]
    ans = f"{g.get('answer')} {g.get('value'):.4f}" if g.get("value") is not None else str(g.get("answer"))
    ci = g.get("ci")
    ans += f" [{ci[0]:.4f}, {ci[1]:.4f}]" if ci else ""
    read = g.get("read_as") or []
    std = f", std {r['std_truth']:+.3f}" if r.get("std_truth") is not None else ""
    truth = f"{r['truth']:+.4f} ({r['relation']}{std}, class {'determines' if r['class_determined'] else 'leaves open'})"
    how = " → ".join(str(v) for v in read[:2]) + (f" ({read[2]})" if len(read) > 2 else "")
    return (r["dataset"], r["text"], truth, ans, r["why"], how)


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default=None, help="count of reporting seeds (from 1000), a range a-b, or a list")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--markdown", type=Path, help="write the tables and WRONG cases as Markdown here")
    ap.add_argument("--kinds", default=None, help="comma-separated among " + ", ".join((*KINDS, "bnlearn")))
    ap.add_argument("--networks", default=None)
    ap.add_argument("--questions", type=int, default=None, help="questions per dataset")
    ap.add_argument("--timeout", type=float, default=TIMEOUT_S, help="CPU seconds per question before it counts as declined")
    ap.add_argument("--wall-factor", type=float, default=WALL_FACTOR,
                    help="a question may take this many times --timeout in wall time (a shared, loaded machine: raise it)")
    ap.add_argument("--budget", type=float, default=None, help="start no new dataset after this many seconds")
    ap.add_argument("--no-memo", action="store_true", help="search the graph again for every question of a dataset")
    ap.add_argument("--resume", type=Path, help="an earlier --json report: its answers are kept, except timeouts")
    a = ap.parse_args(argv)
    rep = evaluate(parse_seeds(a.seeds), a.quick, a.kinds.split(",") if a.kinds else (*KINDS, "bnlearn"),
                   a.networks.split(",") if a.networks else NETWORKS, a.questions, a.timeout, time_budget=a.budget,
                   memo=not a.no_memo, reuse=reusable(a.resume) if a.resume else None,
                   partial=a.json.with_suffix(".partial.json") if a.json else None, wall_factor=a.wall_factor)
    print_report(rep)
    if a.json:
        a.json.write_text(json.dumps(rep, indent=1, default=str))
    if a.markdown:
        a.markdown.write_text(markdown(rep))


if __name__ == "__main__":
    main()
