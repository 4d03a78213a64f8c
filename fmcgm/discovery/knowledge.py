"""Edges from knowledge: one question per concept pair, several samples, a vote, a confidence per edge.

A knowledge source answers "a causes b", "b causes a" or "neither" for a pair.  The LLM
source asks a chat model ``samples`` times with ``prompts/knowledge_pair.md`` and votes;
the simulated source (benchmarks) answers correctly with probability ``q``, which is what
an LLM of that quality is worth without needing one.  Claimed edges that close a directed
cycle are dropped lowest-confidence first.  The offline backend has no knowledge source.
"""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations
from typing import Literal, Protocol

import networkx as nx
from pydantic import BaseModel, Field

from fmcgm.jsonscan import json_objects
from prompts import load

Relation = Literal["a->b", "b->a", "none"]
NO_SOURCE = "no knowledge source: the offline backend has no model of the world, so the graph comes from the data alone"


class PairAnswer(BaseModel):
    a: str
    b: str
    relation: Relation
    confidence: float = Field(ge=0.0, le=1.0)
    votes: dict[str, int] = Field(default_factory=dict)


class Knowledge(BaseModel):
    source: str
    answers: list[PairAnswer]
    dropped_for_cycles: list[tuple[str, str]] = Field(default_factory=list)

    def claimed(self) -> dict[tuple[str, str], float]:
        """Directed edges the source asserts, with confidence, after cycle resolution."""
        out = {}
        for x in self.answers:
            if x.relation != "none":
                e = (x.a, x.b) if x.relation == "a->b" else (x.b, x.a)
                if e not in self.dropped_for_cycles:
                    out[e] = x.confidence
        return out

    def absent(self, min_confidence: float = 0.5) -> list[tuple[str, str]]:
        return [(x.a, x.b) for x in self.answers if x.relation == "none" and x.confidence >= min_confidence]


class KnowledgeSource(Protocol):
    name: str

    def ask(self, a: str, b: str) -> PairAnswer: ...


class SimulatedKnowledge:
    """Answers each pair correctly with probability ``q`` (otherwise one of the two wrong answers)."""

    def __init__(self, true_edges: list[tuple[str, str]], q: float, seed: int = 0):
        self.truth = set(true_edges)
        self.q = q
        self.seed = seed
        self.name = f"simulated (q={q})"

    def ask(self, a: str, b: str) -> PairAnswer:
        right: Relation = "a->b" if (a, b) in self.truth else "b->a" if (b, a) in self.truth else "none"
        rng = random.Random(f"{self.seed}:{a}:{b}")  # the same pair gets the same answer in every run
        rel = right if rng.random() < self.q else rng.choice([r for r in ("a->b", "b->a", "none") if r != right])
        return PairAnswer(a=a, b=b, relation=rel, confidence=self.q, votes={rel: 1})


class LLMKnowledge:
    """Asks a chat model about each pair ``samples`` times and takes the majority answer."""

    def __init__(self, chat_model, samples: int = 5, context: str = ""):
        self.model = chat_model
        self.samples = samples
        self.context = context
        self.name = f"LLM ({samples} samples a pair)"

    def ask(self, a: str, b: str) -> PairAnswer:
        from langchain_core.messages import HumanMessage

        prompt = load("knowledge_pair").format(a=a.replace("_", " "), b=b.replace("_", " "),
                                               context=self.context or "(none)")
        votes: Counter[str] = Counter()
        for _ in range(self.samples):
            try:
                text = str(self.model.invoke([HumanMessage(content=prompt)]).content)
            except Exception:  # noqa: BLE001 - a failed sample is a missing vote, not a crash
                continue
            votes[_relation(text, a, b)] += 1
        votes.pop("unreadable", None)
        if not votes:
            return PairAnswer(a=a, b=b, relation="none", confidence=0.0)
        rel, k = votes.most_common(1)[0]
        return PairAnswer(a=a, b=b, relation=rel, confidence=k / self.samples, votes=dict(votes))


def _relation(text: str, a: str, b: str) -> str:
    """The model's answer: JSON {"answer": "A", "B" or "neither"} (A: a causes b)."""
    obj = next((o for o in json_objects(text) if isinstance(o, dict) and "answer" in o), {})
    word = str(obj.get("answer", "")).strip().lower()
    return {"a": "a->b", "b": "b->a", "neither": "none", "none": "none"}.get(word, "unreadable")


def gather(nodes: list[str], source: KnowledgeSource) -> Knowledge:
    """Ask about every pair; drop the least confident claimed edge of each directed cycle."""
    answers = [source.ask(a, b) for a, b in combinations(nodes, 2)]
    k = Knowledge(source=source.name, answers=answers)
    k.dropped_for_cycles = resolve_cycles(k.claimed())
    return k


def resolve_cycles(edges: dict[tuple[str, str], float]) -> list[tuple[str, str]]:
    g = nx.DiGraph(list(edges))
    dropped: list[tuple[str, str]] = []
    while True:
        try:
            cycle = nx.find_cycle(g)
        except nx.NetworkXNoCycle:
            return dropped
        weakest = min(((u, v) for u, v in cycle), key=lambda e: (edges[e], e))
        g.remove_edge(*weakest)
        dropped.append(weakest)
