"""Performance benchmark of the causal core: variables vs seconds on growing graphs.

Cases (each a fresh, seeded model whose numbers are whole percents, as a user would give them):

* ``chain`` — X0 → X1 → … → Xn-1 with P(X0) and every P(Xi | Xi-1): the effect of X0 on
  Xn-1 through ``answer_query`` (identification, derivation, evaluation); checked against the
  closed form (P(Xi=1 | Xi-1=v) = a + b·v gives an effect of b^(n-1)).
* ``sparse`` — a random DAG with about two edges per variable and all its local conditionals:
  the effect of a middle variable on the last one; checked by enumerating the joint where it
  has at most 16 variables.
* ``adjustment`` — back-door and front-door set search and the candidate estimands on a long
  chain and on a large random sparse graph (no numbers: identification only).
* ``consistency`` — the over-determination check on a chain whose last marginal is also given.
* ``decline`` — the sparse case with 40 % of the numbers left out: the time to say what is missing.

Run with ``fmcgm eval perf`` or ``python -m evals.perf_eval``.  Speed targets live here, not in
unit tests: the table is the result.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass
from itertools import product
from pathlib import Path
from random import Random

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from fmcgm.causal.evaluate import answer_query
from fmcgm.causal.graph import CausalGraph, descendants
from fmcgm.causal.identification import backdoor_sets, do_estimands, frontdoor_sets
from fmcgm.causal.probability import ProbabilityStore, Statement
from fmcgm.causal.queries import Query
from fmcgm.errors import FMCGMError
from fmcgm.vocabulary import QueryKind

A, B = 0.05, 0.9  # chain: P(Xi=1 | Xi-1=v) = A + B·v (a strong link: the effect stays measurable)
TARGET_SECONDS = 2.0  # the bound for a derivation case


@dataclass
class Row:
    case: str
    variables: int
    edges: int
    seconds: float
    value: float | None
    expected: float | None
    note: str = ""

    @property
    def correct(self) -> bool | None:
        if self.expected is None or self.value is None:
            return None
        return abs(self.value - self.expected) < 1e-9


def chain(n: int, prefix: str = "X") -> tuple[CausalGraph, list[Statement]]:
    names = [f"{prefix}{i}" for i in range(n)]
    g = CausalGraph.build([(a, b) for a, b in zip(names, names[1:], strict=False)], nodes=names)
    st = [Statement.of({names[0]: 1}, {}, 0.4)]
    st += [Statement.of({b: 1}, {a: v}, A + B * v) for a, b in zip(names, names[1:], strict=False) for v in (0, 1)]
    return g, st


def sparse_graph(n: int, seed: int, edges_per_node: float = 2.0, max_parents: int = 4) -> CausalGraph:
    """A random DAG over V0..Vn-1 (topological order) with about edges_per_node·n edges."""
    rng = Random(seed)
    names = [f"V{i}" for i in range(n)]
    edges: list[tuple[str, str]] = []
    for i in range(1, n):
        window = range(max(0, i - 8), i)  # parents among recent variables: a sparse, narrow graph
        k = min(len(window), max_parents, max(1, round(rng.expovariate(1 / edges_per_node))))
        edges += [(names[j], names[i]) for j in sorted(rng.sample(window, k))]
    return CausalGraph.build(edges, nodes=names)


def local_conditionals(g: CausalGraph, seed: int) -> tuple[list[Statement], dict]:
    """Whole-percent P(v=1 | parents) for every configuration; also the tables, for enumeration."""
    rng = Random(seed)
    parents = {v: sorted(a for a, b in g.edges if b == v) for v in g.nodes}
    tables: dict[str, dict[tuple[int, ...], float]] = {}
    st: list[Statement] = []
    for v in g.nodes:
        tables[v] = {}
        for combo in product((0, 1), repeat=len(parents[v])):
            p = rng.randint(5, 95) / 100
            tables[v][combo] = p
            st.append(Statement.of({v: 1}, dict(zip(parents[v], combo, strict=True)), p))
    return st, {"parents": parents, "tables": tables}


def enumerate_ate(g: CausalGraph, model: dict, x: str, y: str) -> float:
    """P(y=1 | do(x=1)) - P(y=1 | do(x=0)) by summing the truncated factorisation over every world."""
    names = list(g.nodes)
    worlds = np.array(list(product((0, 1), repeat=len(names))))
    col = {v: i for i, v in enumerate(names)}

    def p_do(xv: int) -> float:
        w = np.ones(len(worlds))
        for v in names:
            if v == x:
                w *= worlds[:, col[v]] == xv
                continue
            pa = model["parents"][v]
            p1 = np.array([model["tables"][v][tuple(row[col[a]] for a in pa)] for row in worlds])
            w *= np.where(worlds[:, col[v]] == 1, p1, 1 - p1)
        return float(w[worlds[:, col[y]] == 1].sum())

    return p_do(1) - p_do(0)


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def chain_case(n: int) -> Row:
    g, st = chain(n)
    secs, res = _timed(lambda: answer_query(g, Query(QueryKind.ATE, f"X{n - 1}", "X0"), st))
    return Row("chain: effect of X0 on the last", n, len(g.edges), secs, res.value, B ** (n - 1), res.method)


def sparse_case(n: int, seed: int = 0) -> Row:
    g = sparse_graph(n, seed)
    st, model = local_conditionals(g, seed)
    y = g.nodes[-1]
    x = next(v for v in g.nodes[n // 3:] if v != y and y in descendants(g, [v]))
    secs, res = _timed(lambda: answer_query(g, Query(QueryKind.ATE, y, x), st))
    expected = enumerate_ate(g, model, x, y) if n <= 16 else None
    return Row(f"sparse: effect of {x} on {y}", n, len(g.edges), secs, res.value, expected, res.method)


def adjustment_case(g: CausalGraph, label: str, x: str, y: str) -> Row:
    def search():
        bd, fd = backdoor_sets(g, x, y), frontdoor_sets(g, x, y)
        return bd, fd, do_estimands(g, y, x, 1)

    secs, (bd, fd, ests) = _timed(search)
    note = f"{len(bd)} back-door, {len(fd)} front-door sets, {len(ests)} estimands"
    return Row(f"{label}: adjustment sets {x} → {y}", len(g.nodes), len(g.edges), secs, None, None, note)


def consistency_case(n: int) -> Row:
    g, st = chain(n)
    implied = ProbabilityStore(st, g).lookup(((f"X{n - 1}", 1),), ())
    stated = round(implied, 2)
    secs, _ = _timed(lambda: ProbabilityStore([*st, Statement.of({f"X{n - 1}": 1}, {}, stated)], g))
    return Row("consistency: chain with its last marginal", n, len(g.edges), secs, stated, round(implied, 2),
               "over-determined input checked")


def decline_case(n: int, seed: int = 0) -> Row:
    g = sparse_graph(n, seed)
    st, _ = local_conditionals(g, seed)
    rng = Random(seed)
    st = [s for s in st if rng.random() < 0.6]
    y = g.nodes[-1]
    x = next(v for v in g.nodes[1:] if v != y and y in descendants(g, [v]))
    t = time.perf_counter()
    try:
        res = answer_query(g, Query(QueryKind.ATE, y, x), st)
        note, value = f"answered by {res.method}", res.value
    except FMCGMError as e:
        note, value = f"declined ({e.code})", None
    return Row(f"decline: effect of {x} on {y}, 60% of numbers", n, len(g.edges), time.perf_counter() - t,
               value, None, note)


def run_perf(chains=(6, 7, 8, 12, 25, 50, 100, 300, 1000), sparse=(10, 16, 20, 50, 100, 300, 1000),
             long=(300, 1000), consistency=(8, 50), decline=(10, 20, 50)) -> list[Row]:
    jobs = ([lambda n=n: chain_case(n) for n in chains] + [lambda n=n: sparse_case(n) for n in sparse]
            + [lambda n=n: adjustment_case(chain(n, "A")[0], "chain", "A0", f"A{n - 1}") for n in long]
            + [lambda n=n: _sparse_adjustment(n) for n in long]
            + [lambda n=n: consistency_case(n) for n in consistency]
            + [lambda n=n: decline_case(n) for n in decline])
    rows = []
    with Progress(transient=True) as bar:
        task = bar.add_task("perf cases", total=len(jobs))
        for job in jobs:
            rows.append(job())
            bar.advance(task)
    return rows


def _sparse_adjustment(n: int) -> Row:
    g = sparse_graph(n, 1)
    y = g.nodes[-1]
    x = next(v for v in g.nodes[n // 2:] if v != y and y in descendants(g, [v]))
    return adjustment_case(g, "sparse", x, y)


def print_perf(rows: list[Row], console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="causal core: variables vs seconds")
    for col in ("case", "variables", "edges", "seconds", "value", "expected", "note"):
        table.add_column(col, justify="right" if col in ("variables", "edges", "seconds") else "left")
    for r in rows:
        ok = r.correct
        mark = "" if ok is None else (" ✓" if ok else " ✗")
        secs = f"[{'green' if r.seconds < TARGET_SECONDS else 'red'}]{r.seconds:.3f}[/]"
        table.add_row(r.case, str(r.variables), str(r.edges), secs,
                      "" if r.value is None else f"{r.value:.6g}{mark}",
                      "" if r.expected is None else f"{r.expected:.6g}", r.note)
    console.print(table)


def to_json(rows: list[Row]) -> list[dict]:
    return [{**asdict(r), "correct": r.correct} for r in rows]


QUICK = {"chains": (6, 8, 50), "sparse": (10, 20), "long": (300,), "consistency": (8,), "decline": (10,)}


def report(console: Console, json_out: Path | None = None, quick: bool = False) -> list[Row]:
    rows = run_perf(**QUICK) if quick else run_perf()
    print_perf(rows, console)
    wrong = [r.case for r in rows if r.correct is False]
    if wrong:
        console.print(f"[red]wrong values:[/] {', '.join(wrong)}")
    if json_out:
        from fmcgm.outputs import write_atomic

        write_atomic(json_out, json.dumps(to_json(rows), indent=2))
        console.print(f"wrote {json_out}")
    return rows


if __name__ == "__main__":
    report(Console(), Path(sys.argv[1]) if len(sys.argv) > 1 else None)
