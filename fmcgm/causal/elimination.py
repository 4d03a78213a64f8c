"""Variable elimination over discrete factor tables, in a greedy min-fill order.

Why our own rather than pgmpy's ``VariableElimination``: importing pgmpy pulls in torch and
pandas (seconds per process) and it wants a model object per query, while we only need the
product-and-sum of a few numpy tables.  networkx's treewidth heuristics return a tree
decomposition, not an elimination order, so the (short) greedy min-fill order is here too.
"""

from __future__ import annotations

import heapq
import string
from dataclasses import dataclass
from itertools import combinations, count
from math import prod

import numpy as np

# Largest intermediate table (entries) we build: beyond it the graph is too dense for exact
# elimination and the caller falls back to term-by-term derivation.
MAX_TABLE = 1 << 20


class TooDense(Exception):
    """An elimination step would build a table larger than MAX_TABLE."""


@dataclass(frozen=True)
class Factor:
    vars: tuple[str, ...]
    table: np.ndarray  # one axis per variable, in ``vars`` order

    def fix(self, values: dict[str, int]) -> Factor:
        """Slice the table at the given axis positions (evidence)."""
        if not any(v in values for v in self.vars):
            return self
        index = tuple(values[v] if v in values else slice(None) for v in self.vars)
        return Factor(tuple(v for v in self.vars if v not in values), self.table[index])


def min_fill_order(scopes: list[tuple[str, ...]], drop: set[str]) -> list[str]:
    """Greedy elimination order for ``drop``: fewest fill-in edges first (ties: degree, name)."""
    adj: dict[str, set[str]] = {}
    for s in scopes:
        for a in s:
            adj.setdefault(a, set()).update(x for x in s if x != a)

    def score(v: str) -> tuple[int, int, str]:
        nb = adj[v]
        fill = sum(1 for a, b in combinations(nb, 2) if b not in adj[a])
        return fill, len(nb), v

    heap = [score(v) for v in drop]
    heapq.heapify(heap)
    current = {s[2]: s for s in heap}
    order: list[str] = []
    while heap:
        item = heapq.heappop(heap)
        v = item[2]
        if v not in current or current[v] != item:
            continue  # a stale score
        del current[v]
        order.append(v)
        nb = adj.pop(v)
        for a in nb:
            adj[a].discard(v)
            adj[a].update(x for x in nb if x != a)
        touched = set(nb)
        for a in nb:
            touched |= adj[a]
        for a in touched & current.keys():
            current[a] = score(a)
            heapq.heappush(heap, current[a])
    return order


def _contract(factors: list[Factor], out: tuple[str, ...]) -> Factor:
    """Multiply factors and sum out every variable not in ``out`` (one einsum call)."""
    scope: dict[str, int] = {}
    for f in factors:
        for v, n in zip(f.vars, f.table.shape, strict=True):
            scope[v] = n
    if prod(scope.values()) > MAX_TABLE:
        raise TooDense(f"a table over {len(scope)} variables")
    letter = dict(zip(scope, string.ascii_letters, strict=False))
    subs = ",".join("".join(letter[v] for v in f.vars) for f in factors)
    table = np.einsum(f"{subs}->{''.join(letter[v] for v in out)}", *[f.table for f in factors])
    return Factor(out, np.asarray(table))


def eliminate(factors: list[Factor], keep: tuple[str, ...]) -> np.ndarray:
    """Σ over every variable but ``keep`` of the product of the factors: a table over ``keep``.

    Raises :class:`TooDense` when the order needs a table over more than MAX_TABLE entries.
    """
    pool: dict[int, Factor] = {}
    touching: dict[str, set[int]] = {}
    ids = count()
    scale = 1.0  # factors without variables multiply in as plain numbers

    def add(f: Factor) -> None:
        nonlocal scale
        if not f.vars:
            scale *= float(f.table)
            return
        i = next(ids)
        pool[i] = f
        for v in f.vars:
            touching.setdefault(v, set()).add(i)

    for f in factors:
        add(f)
    for v in min_fill_order([f.vars for f in factors], set(touching) - set(keep)):
        used_ids = touching.pop(v, set())
        used = [pool.pop(i) for i in sorted(used_ids)]
        rest = tuple(dict.fromkeys(x for f in used for x in f.vars if x != v))
        for x in rest:
            touching[x] -= used_ids
        if used:
            add(_contract(used, rest))
    left = list(pool.values())
    table = _contract(left, keep).table if left else np.ones(())
    return scale * table
