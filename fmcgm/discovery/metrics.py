"""Structural scores of a discovered graph against the true DAG.

Skeleton scores compare adjacencies.  Oriented scores count an estimated edge as right
only when it is directed the way the truth is: an undirected or circle-marked edge is
never a correct orientation, so a method that leaves edges open pays for it in
``f1_oriented`` and in SHD (one per pair whose mark differs from the truth).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from fmcgm.discovery.pdag import DiscoveredGraph


@dataclass(frozen=True)
class Scores:
    shd: int
    precision: float
    recall: float
    f1_skeleton: float
    f1_oriented: float

    def to_dict(self) -> dict:
        return asdict(self)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score(est: DiscoveredGraph, true_edges: list[tuple[str, str]]) -> Scores:
    truth = {frozenset(e): e for e in true_edges}
    found = {e.pair: e for e in est.edges}
    tp_skel = len(truth.keys() & found.keys())
    tp_dir = sum(1 for p, e in found.items() if e.mark == "->" and truth.get(p) == (e.a, e.b))
    shd = len(truth.keys() ^ found.keys())
    shd += sum(1 for p in truth.keys() & found.keys()
               if not (found[p].mark == "->" and truth[p] == (found[p].a, found[p].b)))
    prec = tp_skel / len(found) if found else 1.0
    rec = tp_skel / len(truth) if truth else 1.0
    oprec = tp_dir / len(found) if found else 1.0
    orec = tp_dir / len(truth) if truth else 1.0
    return Scores(shd, round(prec, 4), round(rec, 4), round(_f1(prec, rec), 4), round(_f1(oprec, orec), 4))
