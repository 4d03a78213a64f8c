"""From stated independences to the Markov equivalence class, and whether a hypothesis holds in all of it.

The statements are an independence oracle (closed world: every triple not stated independent is
dependent), which is exactly what the PC algorithm needs.  With an oracle PC's two phases have a closed
form, used here directly:

1. **Skeleton.** X and Y are adjacent iff no statement separates them (PC removes an edge iff some
   conditioning set separates; with an oracle the order of tests does not matter).
2. **Colliders.** For an unshielded triple X – Z – Y, X → Z ← Y iff Z is not in the stated separating
   set of X and Y.  Every stated separating set must agree (faithfulness); a disagreement names both
   statements.

Then, instead of Meek's rules, the class is **enumerated**: every DAG with this skeleton and exactly these
unshielded colliders (Verma & Pearl 1990: such DAGs are precisely the Markov-equivalent ones).  Finally
one member's d-separations are compared with the statements, every pair under every conditioning set:
when they coincide, the enumerated DAGs are exactly the DAGs whose independences are the stated ones
(PC is complete under faithfulness, so no other DAG fits); when they differ, the statements fit no DAG
and the first disagreeing statement is named.  Why not causal-learn's PC with an oracle test: its output
is one CPDAG, while a hypothesis such as "there is a common child" must be checked in every member, so
the members are needed anyway — and with an oracle both phases are the two rules above.  The test suite
checks the compelled edges against causal-learn's PC run with the same oracle.

A hypothesis is **implied** when it holds in every member (under faithfulness and causal sufficiency, as
in Corr2Cause); otherwise a member that violates it is named.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from fmcgm.discovery.independence_statements import Hypothesis, Independence, Premises
from fmcgm.errors import ErrorCode, FMCGMError, InconsistentInputError

MAX_VARIABLES = 12  # the faithfulness check visits every pair under every conditioning set: 2^(n-2) sets a pair
MAX_MEMBERS = 100_000

Edge = tuple[str, str]


class ClassTooLargeError(FMCGMError, code=ErrorCode.INVALID_QUERY):
    """The Markov equivalence class has more members than the question's answer may enumerate."""


@dataclass(frozen=True)
class Collider:
    x: str
    z: str
    y: str
    because: Independence  # the statement separating x and y without z

    def text(self) -> str:
        return f"{self.x} \u2192 {self.z} \u2190 {self.y}"


@dataclass(frozen=True)
class EquivalenceClass:
    variables: tuple[str, ...]
    adjacent: frozenset[frozenset[str]]
    separated_by: dict[frozenset[str], Independence]  # each non-adjacent pair and the statement that separates it
    colliders: tuple[Collider, ...]
    members: tuple[frozenset[Edge], ...]
    compelled: frozenset[Edge]  # directed the same way in every member
    reversible: frozenset[frozenset[str]]  # adjacent, direction differs between members
    d_separation_checks: int

    def skeleton_text(self) -> str:
        return ", ".join(f"{a} \u2013 {b}" for a, b in sorted(tuple(sorted(p)) for p in self.adjacent)) or "no edges"

    def cpdag_text(self) -> str:
        parts = [f"{a} \u2192 {b}" for a, b in sorted(self.compelled)]
        parts += [f"{a} \u2013 {b}" for a, b in sorted(tuple(sorted(p)) for p in self.reversible)]
        return ", ".join(parts) or "no edges"


@dataclass(frozen=True)
class Verdict:
    hypothesis: Hypothesis
    implied: bool
    members: int
    holds_in: int
    counterexample: tuple[Edge, ...] | None  # a member in which the hypothesis fails
    reason: str  # why it fails there, or why it holds in every member
    witnesses: dict[str, int] = field(default_factory=dict)  # collider/confounder: the common child/parent → members

    def text(self) -> str:
        h = self.hypothesis
        head = (f"\u201c{h.sentence}\u201d means {h.formal()}. "
                f"It holds in {self.holds_in} of the {self.members} member(s) of the class")
        if self.implied:
            return f"{head}: implied. {self.reason}"
        shown = ", ".join(f"{a} \u2192 {b}" for a, b in self.counterexample or ()) or "no edges"
        return f"{head}: not implied. A member that violates it: [{shown}] \u2014 {self.reason}"


def _statement_index(premises: Premises) -> dict[tuple[frozenset[str], frozenset[str]], Independence]:
    out: dict[tuple[frozenset[str], frozenset[str]], Independence] = {}
    for s in premises.independences:
        out.setdefault(s.key, s)
    return out


def _colliders(variables: tuple[str, ...], adjacent: set[frozenset[str]],
               seps: dict[frozenset[str], list[Independence]]) -> list[Collider]:
    out = []
    nb = {v: {u for u in variables if frozenset((u, v)) in adjacent} for v in variables}
    for z in variables:
        for x, y in combinations(sorted(nb[z], key=variables.index), 2):
            pair = frozenset((x, y))
            if pair in adjacent:
                continue
            with_z = [s for s in seps[pair] if z in s.given]
            without = [s for s in seps[pair] if z not in s.given]
            if with_z and without:
                raise InconsistentInputError(
                    f"the statements \u201c{with_z[0].sentence}\u201d and \u201c{without[0].sentence}\u201d contradict "
                    f"each other under faithfulness: {z} is adjacent to both {x} and {y}, so either every set that "
                    f"separates them contains {z} (no collider) or none does (collider {x} \u2192 {z} \u2190 {y})",
                    "check these two statements")
            if without:
                out.append(Collider(x, z, y, without[0]))
    return out


def _members(variables: tuple[str, ...], adjacent: set[frozenset[str]], colliders: list[Collider],
             limit: int) -> Iterator[frozenset[Edge]]:
    """Every DAG with this skeleton whose unshielded colliders are exactly ``colliders`` (backtracking)."""
    fixed: dict[frozenset[str], Edge] = {}
    for c in colliders:
        for a in (c.x, c.y):
            pair = frozenset((a, c.z))
            if fixed.get(pair, (a, c.z)) != (a, c.z):
                other = next(d for d in colliders if frozenset((d.z, d.x)) == pair or frozenset((d.z, d.y)) == pair)
                raise InconsistentInputError(
                    f"the colliders {c.text()} (from \u201c{c.because.sentence}\u201d) and {other.text()} (from "
                    f"\u201c{other.because.sentence}\u201d) need the edge between {a} and {c.z} in both directions",
                    "no DAG fits these statements; check them")
            fixed[pair] = (a, c.z)
    required = {(c.x, c.z, c.y) for c in colliders} | {(c.y, c.z, c.x) for c in colliders}
    open_pairs = sorted((tuple(sorted(p, key=variables.index)) for p in adjacent if p not in fixed),
                        key=lambda e: (variables.index(e[0]), variables.index(e[1])))
    parents: dict[str, set[str]] = {v: set() for v in variables}
    children: dict[str, set[str]] = {v: set() for v in variables}

    def reaches(a: str, b: str) -> bool:
        stack, seen = [a], {a}
        while stack:
            u = stack.pop()
            if u == b:
                return True
            for w in children[u] - seen:
                seen.add(w)
                stack.append(w)
        return False

    def allowed(a: str, b: str) -> bool:
        """a → b keeps the graph acyclic and adds no collider at b other than the stated ones."""
        if reaches(b, a):
            return False
        return all(frozenset((p, a)) in adjacent or (p, b, a) in required for p in parents[b])

    def add(a: str, b: str) -> None:
        parents[b].add(a)
        children[a].add(b)

    def remove(a: str, b: str) -> None:
        parents[b].discard(a)
        children[a].discard(b)

    for a, b in fixed.values():
        if not allowed(a, b):
            raise InconsistentInputError("the stated colliders form a directed cycle or an unstated collider",
                                         "no DAG fits these statements; check them")
        add(a, b)
    count = 0

    def walk(i: int) -> Iterator[frozenset[Edge]]:
        nonlocal count
        if i == len(open_pairs):
            count += 1
            if count > limit:
                raise ClassTooLargeError(f"the class has more than {limit} members", "state more independences")
            yield frozenset((p, c) for c in variables for p in parents[c])
            return
        u, v = open_pairs[i]
        for a, b in ((u, v), (v, u)):
            if allowed(a, b):
                add(a, b)
                yield from walk(i + 1)
                remove(a, b)

    yield from walk(0)


def _first_disagreement(variables: tuple[str, ...], member: frozenset[Edge],
                        said: dict[tuple[frozenset[str], frozenset[str]], Independence]) -> tuple[str | None, int]:
    g = nx.DiGraph()
    g.add_nodes_from(variables)
    g.add_edges_from(member)
    checks = 0
    for x, y in combinations(variables, 2):
        rest = [v for v in variables if v not in (x, y)]
        for k in range(len(rest) + 1):
            for cond in combinations(rest, k):
                checks += 1
                sep = nx.is_d_separator(g, {x}, {y}, set(cond))
                stated = said.get((frozenset((x, y)), frozenset(cond)))
                if stated is not None and not sep:
                    return (f"\u201c{stated.sentence}\u201d cannot hold together with the other statements: in every DAG "
                            f"with the adjacencies and colliders they imply, {x} and {y} are d-connected given "
                            f"{{{', '.join(cond)}}}"), checks
                if stated is None and sep:
                    z = f" | {', '.join(cond)}" if cond else ""
                    return (f"the statements are incomplete or unfaithful: every DAG with the adjacencies and colliders "
                            f"they imply has {x} \u2aeb {y}{z}, which is not stated (the stated independences are read "
                            f"as all that hold)"), checks
    return None, checks


def equivalence_class(premises: Premises, max_members: int = MAX_MEMBERS) -> EquivalenceClass:
    """The Markov equivalence class of the DAGs whose independences are exactly the stated ones."""
    v = premises.variables
    if len(v) > MAX_VARIABLES:
        raise ClassTooLargeError(f"{len(v)} variables: at most {MAX_VARIABLES} can be checked exhaustively",
                                 "ask about fewer variables")
    said = _statement_index(premises)
    seps: dict[frozenset[str], list[Independence]] = {frozenset(p): [] for p in combinations(v, 2)}
    for s in premises.independences:
        seps[frozenset((s.x, s.y))].append(s)
    adjacent = {p for p, ss in seps.items() if not ss}
    colliders = _colliders(v, adjacent, seps)
    members = tuple(_members(v, adjacent, colliders, max_members))
    if not members:
        raise InconsistentInputError(
            "no DAG has the adjacencies and colliders these statements imply (every orientation makes a cycle or "
            "a collider that no statement allows)", "check the statements")
    problem, checks = _first_disagreement(v, members[0], said)
    if problem:
        raise InconsistentInputError(problem, "no DAG is faithful to exactly these statements; check them")
    compelled = frozenset.intersection(*members)
    reversible = frozenset(p for p in adjacent if not any(tuple(sorted(p)) == tuple(sorted(e)) for e in compelled))
    return EquivalenceClass(variables=v, adjacent=frozenset(adjacent),
                            separated_by={p: ss[0] for p, ss in seps.items() if ss}, colliders=tuple(colliders),
                            members=members, compelled=compelled, reversible=reversible, d_separation_checks=checks)


def members_by_brute_force(premises: Premises, max_edges: int = 15) -> list[frozenset[Edge]]:
    """The class the slow way, for checking: every orientation of the skeleton (a DAG whose independences are the
    stated ones has exactly this skeleton) that is acyclic and whose d-separations are exactly the stated ones.
    Uses no collider rule and no enumeration shortcut."""
    v = premises.variables
    said = _statement_index(premises)
    separated = {pair for pair, _ in said}
    skeleton = [(a, b) for a, b in combinations(v, 2) if frozenset((a, b)) not in separated]
    if len(skeleton) > max_edges:
        raise ClassTooLargeError(f"{len(skeleton)} edges: at most {max_edges} for the brute-force check")
    out = []
    for bits in range(2 ** len(skeleton)):
        member = frozenset((a, b) if not bits >> i & 1 else (b, a) for i, (a, b) in enumerate(skeleton))
        if nx.is_directed_acyclic_graph(nx.DiGraph(list(member))) and _first_disagreement(v, member, said)[0] is None:
            out.append(member)
    return out


def _descendants(member: frozenset[Edge], x: str) -> set[str]:
    children: dict[str, set[str]] = {}
    for a, b in member:
        children.setdefault(a, set()).add(b)
    seen: set[str] = set()
    stack = [x]
    while stack:
        for w in children.get(stack.pop(), set()) - seen:
            seen.add(w)
            stack.append(w)
    return seen


def holds(h: Hypothesis, member: frozenset[Edge]) -> tuple[bool, str, str | None]:
    """Whether the hypothesis holds in one DAG; why (in words); the common child/parent that witnesses it."""
    x, y = h.x, h.y
    if h.kind == "parent":
        if (x, y) in member:
            return True, f"{x} \u2192 {y}", None
        return False, (f"the edge is {y} \u2192 {x}" if (y, x) in member else f"{x} and {y} are not adjacent"), None
    if h.kind == "ancestor":
        if (x, y) in member:
            return False, f"{x} \u2192 {y} is a direct edge", None
        if y in _descendants(member, x):
            return True, f"{y} is a descendant of {x}", None
        return False, f"{y} is not a descendant of {x}", None
    kids = {b for a, b in member if a == x} & {b for a, b in member if a == y}
    pas = {a for a, b in member if b == x} & {a for a, b in member if b == y}
    common, word = (kids, "child") if h.kind == "collider" else (pas, "parent")
    if common:
        k = sorted(common)[0]
        return True, f"{k} is a common {word}", k
    return False, f"{x} and {y} have no common {word}", None


def evaluate(h: Hypothesis, cls: EquivalenceClass) -> Verdict:
    """Implied iff the hypothesis holds in every member; else the first member that violates it."""
    n, ok = len(cls.members), 0
    witnesses: dict[str, int] = {}
    counter: tuple[tuple[Edge, ...], str] | None = None
    reasons: set[str] = set()
    for m in cls.members:
        good, why, witness = holds(h, m)
        if good:
            ok += 1
            reasons.add(why)
            if witness:
                witnesses[witness] = witnesses.get(witness, 0) + 1
        elif counter is None:
            counter = (tuple(sorted(m)), why)
    if counter is not None:
        return Verdict(h, False, n, ok, counter[0], counter[1], witnesses)
    if h.kind == "parent":
        reason = f"{h.x} \u2192 {h.y} is compelled: every member has it."
    elif h.kind == "ancestor":
        reason = f"{h.x} and {h.y} are not adjacent and every member has a directed path from {h.x} to {h.y}."
    else:
        word = "child" if h.kind == "collider" else "parent"
        parts = [f"{k} in {c}" for k, c in sorted(witnesses.items(), key=lambda kv: (-kv[1], kv[0]))]
        reason = (f"Every member has a common {word} of {h.x} and {h.y} (the first in alphabetical order is "
                  f"{', '.join(parts)} member(s)).")
    return Verdict(h, True, n, ok, None, reason, witnesses)


def derivation(cls: EquivalenceClass, verdict: Verdict | None = None) -> list[str]:
    """The steps from the statements to the verdict, one line each."""
    lines = [f"Variables: {', '.join(cls.variables)}."]
    seps = [f"{a} and {b} by \u201c{cls.separated_by[frozenset((a, b))].sentence}\u201d"
            for a, b in combinations(cls.variables, 2) if frozenset((a, b)) in cls.separated_by]
    lines.append(f"Skeleton (adjacent = no statement separates them): {cls.skeleton_text()}."
                 + (f" Separated: {'; '.join(seps)}." if seps else ""))
    if cls.colliders:
        lines.append("Colliders (the middle variable is not in the separating set): "
                     + "; ".join(f"{c.text()} (\u201c{c.because.sentence}\u201d)" for c in cls.colliders) + ".")
    else:
        lines.append("Colliders: none (every unshielded triple has its middle variable in the separating set).")
    lines.append(f"Markov equivalence class: {len(cls.members)} DAG(s); CPDAG {cls.cpdag_text()} "
                 f"(every member checked against all {cls.d_separation_checks} stated/unstated independences of "
                 "one member: they coincide).")
    if verdict is not None:
        lines.append(verdict.text())
    return lines
