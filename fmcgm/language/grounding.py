"""Ground phrases to variables: which node (and which value) each phrase of a story means.

The given information names *values* ("husbands that set the alarm"), the
graph names *variables* ("husband").  We collect every phrase slot as an item,
score item→node assignments by word similarity (and by how similar items are
to each other), enforce structure (phrases in one statement are different
variables; a mechanism's causes are parents of its effect), and take the best
assignment under which the causal engine can actually answer the question.
The probability asked is of value 1 of its target.  In a block of conditionals the enumeration
pattern only says which phrases are the two values of one condition; which of them is value 1
comes from what the phrases say (fewer negations: "smokers" against "nonsmokers"), never from
which sentence came first.  In a pair of joint statements the condition a marginal also states
is value 1.  Values of free-standing phrases come from polarity (negation, antonyms) against
phrases whose value is known.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from fmcgm.language.story import Conditional, Correlation, Joint, Marginal, MethodStatement, Story
from fmcgm.language.text import (
    content,
    leading_negating_verb,
    negation_count,
    polarity,
    prefix_negated,
    similarity,
    words,
)


def norm(p: str) -> str:
    p = p.lower().strip().rstrip(".")
    p = re.sub(r"^(for|and)\s+", "", p)
    return re.sub(r"\s+", " ", p)


@dataclass
class Item:
    """One unknown variable: its phrases by value (None: value to be decided by polarity)."""

    id: int
    phrases: dict[int | None, list[str]]
    role: str
    statements: set[int] = field(default_factory=set)

    def all_phrases(self) -> list[str]:
        return [p for ps in self.phrases.values() for p in ps]


@dataclass
class GivenStatement:
    event: list[tuple[int, int]]  # (item id, value)
    given: list[tuple[int, int]]
    p: float


# -- splitting "A and B" into slots by the enumeration pattern ------------------------------

def _splits(text: str, k: int) -> list[list[str]]:
    """Every way to cut text at k-1 of its ' and ' joints."""
    if k == 1:
        return [[text]]
    seps = list(re.finditer(r"\s+and\s+", text))
    out = []
    for cut in itertools.combinations(seps, k - 1):
        parts, last = [], 0
        for c in cut:
            parts.append(text[last:c.start()])
            last = c.end()
        parts.append(text[last:])
        out.append([p.strip() for p in parts])
    return out


def split_block(conds: list[str], k: int) -> list[list[str]] | None:
    """Slots of each statement of a block enumerating k binary variables (first slot slowest)."""
    options = [_splits(c, k) for c in conds]
    if any(not o for o in options):
        return None
    best = None
    for combo in itertools.product(*options):
        ok, score = True, 0
        for j in range(k):
            for bit in (0, 1):
                vals = {norm(combo[i][j]) for i in range(len(conds)) if (i >> (k - 1 - j)) & 1 == bit}
                if len(vals) != 1:
                    ok = False
                    break
            if not ok:
                break
            v0 = {norm(combo[i][j]) for i in range(len(conds)) if not (i >> (k - 1 - j)) & 1}
            v1 = {norm(combo[i][j]) for i in range(len(conds)) if (i >> (k - 1 - j)) & 1}
            score += v0 != v1
        if ok and (best is None or score > best[0]):
            best = (score, [list(c) for c in combo])
    return best[1] if best else None


# -- collecting items ---------------------------------------------------------------------

@dataclass
class Collected:
    items: list[Item]
    statements: list[GivenStatement]
    correlations: list[tuple[int, int, int, float]]  # condition item, a, b, r
    methods: list[MethodStatement]
    unparsed: list[str]


_LIGHT_VERBS = frozenset({"get", "stay", "remain", "keep", "be", "becom", "have", "end", "turn"})


def same_event(a: str, b: str) -> bool:
    """Two wordings of one event with the same polarity ("not recovering" / "failing to recover", "not getting
    injured" / "staying uninjured"): one block of conditionals, whichever wording each sentence used."""
    if a == b:
        return True
    key = _event_key(a)
    return bool(key[0]) and key == _event_key(b)


def _event_key(p: str) -> tuple[tuple[str, ...], int]:
    """The event's content stems without light verbs, and the parity of its negations (words, a leading negating
    verb, an "un-"/"non-" prefix)."""
    toks = list(words(p))
    flips = negation_count(p)
    if leading_negating_verb(tuple(toks)):
        toks = toks[2:] if len(toks) > 1 and toks[1] == "to" else toks[1:]
    out: list[str] = []
    for w in toks:
        for pre in ("non-", "non", "un"):
            if w.startswith(pre) and len(w) - len(pre) >= 4:
                w, flips = w[len(pre):], flips + 1
                break
        out.extend(c for c in content(w) if c not in _LIGHT_VERBS)
    return tuple(out), flips % 2


def collect(story: Story) -> Collected:
    items: list[Item] = []
    stmts: list[GivenStatement] = []
    corrs: list[tuple[int, int, int, float]] = []
    unparsed: list[str] = list(story.unparsed)

    def new_item(phrases: dict, role: str) -> Item:
        it = Item(len(items), {k: list(v) for k, v in phrases.items()}, role)
        items.append(it)
        return it

    given = story.given
    i = 0
    while i < len(given):
        g = given[i]
        if isinstance(g, Conditional):
            j = i
            while j < len(given) and isinstance(given[j], Conditional) and same_event(given[j].target, g.target):
                j += 1
            block = given[i:j]
            for sub in _power_blocks(block):
                _add_conditional_block(sub, new_item, stmts, unparsed)
            i = j
            continue
        if isinstance(g, Joint):
            j = i
            while j < len(given) and isinstance(given[j], Joint):
                j += 1
            _add_joint_block(given[i:j], new_item, stmts, [x for x in given if isinstance(x, Marginal)])
            i = j
            continue
        if isinstance(g, Marginal):
            it = new_item({1: [g.phrase]}, "marginal")
            stmts.append(GivenStatement([(it.id, 1)], [], g.p))
        elif isinstance(g, Correlation):
            c = new_item({1: [g.condition]}, "group")
            a = new_item({None: [g.a]}, "name")
            b = new_item({None: [g.b]}, "name")
            corrs.append((c.id, a.id, b.id, g.r))
        i += 1
    for sid, s in enumerate(stmts):
        for it_id, _ in (*s.event, *s.given):
            items[it_id].statements.add(sid)
    methods = [g for g in given if isinstance(g, MethodStatement)]
    return Collected(items, stmts, corrs, methods, unparsed)


def _power_blocks(block: list[Conditional]) -> list[list[Conditional]]:
    n = len(block)
    if n & (n - 1) == 0:
        return [block]
    out, i = [], 0
    while i < n:  # split an odd-sized run into power-of-two runs
        size = 1 << ((n - i).bit_length() - 1)
        out.append(block[i:i + size])
        i += size
    return out


def _add_conditional_block(block: list[Conditional], new_item, stmts, unparsed) -> None:
    n = len(block)
    k = max(1, n.bit_length() - 1)
    slots = split_block([c.conditions for c in block], k) if n > 1 else [[block[0].conditions]]
    if slots is None:
        unparsed.extend(f"For {c.conditions}, the probability of {c.target} is {c.p:g}" for c in block)
        return
    target = new_item({1: [block[0].target]}, "target")
    if n == 1:
        slot_items = [new_item({None: [slots[0][0]]}, "condition")]
        stmts.append(GivenStatement([(target.id, 1)], [(slot_items[0].id, -1)], block[0].p))
        return
    slot_items, flip = [], []
    for j in range(k):
        v0 = sorted({slots[i][j] for i in range(n) if not (i >> (k - 1 - j)) & 1})
        v1 = sorted({slots[i][j] for i in range(n) if (i >> (k - 1 - j)) & 1})
        # the value comes from what the phrase says, not from which sentence came first
        swap = _negations(v0[0], v1[0]) < _negations(v1[0], v0[0])
        flip.append(swap)
        slot_items.append(new_item({0: v1, 1: v0} if swap else {0: v0, 1: v1}, "condition"))
    for i, c in enumerate(block):
        given = [(slot_items[j].id, ((i >> (k - 1 - j)) & 1) ^ flip[j]) for j in range(k)]
        stmts.append(GivenStatement([(target.id, 1)], given, c.p))


def _negations(a: str, b: str) -> int:
    """Negations in phrase a, counting prefix negations against phrase b ("nonsmokers" against "smokers")."""
    return negation_count(a) + sum(any(prefix_negated(x, y) for y in content(b)) for x in content(a))


def _add_joint_block(block: list[Joint], new_item, stmts, marginals: list[Marginal]) -> None:
    known = {norm(m.phrase) for m in marginals}
    if len(block) == 2:
        best = None
        for a in _splits(block[0].text, 2):
            for b in _splits(block[1].text, 2):
                if norm(a[1]) != norm(b[1]):
                    continue
                score = (norm(b[0]) in known) * 2 + (norm(a[0]) != norm(b[0]))
                if best is None or score > best[0]:
                    best = (score, a, b)
        if best:
            _, a, b = best
            x = new_item({0: [a[0]], 1: [b[0]]}, "condition")
            y = new_item({1: [a[1]]}, "target")
            stmts.append(GivenStatement([(x.id, 0), (y.id, 1)], [], block[0].p))
            stmts.append(GivenStatement([(x.id, 1), (y.id, 1)], [], block[1].p))
            return
    for jn in block:  # lone joints: cut at the first ' and ' whose left side is a known phrase
        parts = next((s for s in _splits(jn.text, 2) if norm(s[0]) in known), None) or (_splits(jn.text, 2) or [[jn.text, ""]])[0]
        x = new_item({None: [parts[0]]}, "condition")
        y = new_item({1: [parts[1]]}, "target")
        stmts.append(GivenStatement([(x.id, -1), (y.id, 1)], [], jn.p))


# -- assignment search ---------------------------------------------------------------------

def name_sim(item: Item, node: str) -> float:
    return max((similarity(p, node) for p in item.all_phrases()), default=0.0)


def item_sim(a: Item, b: Item) -> float:
    best = 0.0
    for p in a.all_phrases():
        for q in b.all_phrases():
            if norm(p) == norm(q):
                return 1.0
            best = max(best, similarity(p, q))
    return best


def assignments(items: list[Item], nodes: list[str], distinct: list[set[int]],
                allowed: dict[int, list[str]] | None = None, limit: int = 400, widen: bool = False):
    """Item→node maps, best score first (a bounded search; ties broken by node order)."""
    if not items:
        yield {}
        return
    ns = {(it.id, n): name_sim(it, n) for it in items for n in nodes}
    ps = {}
    for a, b in itertools.combinations(items, 2):
        ps[(a.id, b.id)] = ps[(b.id, a.id)] = item_sim(a, b)
    cands: dict[int, list[str]] = {}
    for it in items:
        opts = allowed[it.id] if allowed and it.id in allowed else nodes
        ranked = sorted(opts, key=lambda n: -ns[(it.id, n)])
        top = ns[(it.id, ranked[0])] if ranked else 0
        if widen:  # every node, best first: for phrases that share words with the wrong variable
            cands[it.id] = ranked
            continue
        keep = [n for n in ranked if ns[(it.id, n)] >= top - 0.45] if top >= 0.5 else ranked
        cands[it.id] = keep[: max(3, len([n for n in keep if ns[(it.id, n)] >= top - 0.05]))]
    order = sorted(items, key=lambda it: (len(cands[it.id]), -max(ns[(it.id, n)] for n in cands[it.id])))
    conflicts: dict[int, set[int]] = {it.id: set() for it in items}
    for group in distinct:
        for i in group:
            conflicts[i] |= group - {i}
    results: list[tuple[float, dict[int, str]]] = []

    def dfs(k: int, cur: dict[int, str], score: float) -> None:
        if len(results) > 20000:
            return
        if k == len(order):
            results.append((score, dict(cur)))
            return
        it = order[k]
        for n in cands[it.id]:
            if any(cur.get(o) == n for o in conflicts[it.id]):
                continue
            gain = ns[(it.id, n)]
            for other, on in cur.items():
                s = ps[(it.id, other)]
                if on == n:
                    gain += s
                elif s >= 0.95:
                    gain -= 1.0
            cur[it.id] = n
            dfs(k + 1, cur, score + gain)
            del cur[it.id]

    dfs(0, {}, 0.0)
    results.sort(key=lambda r: -r[0])
    for _, assignment in results[:limit]:
        yield assignment


# -- values of free-standing phrases --------------------------------------------------------

def phrase_value(phrase: str, item_phrases: dict[int | None, list[str]], default: int = 1) -> int:
    """Which value of a variable a phrase asserts, judged against phrases of known value."""
    votes = {0: 0.0, 1: 0.0}
    for v, ps in item_phrases.items():
        if v is None or v < 0:
            continue
        for p in ps:
            if norm(p) == norm(phrase):
                return v
            s = similarity(phrase, p)
            if s == 0:
                continue
            pol = polarity(phrase, p)
            votes[v if pol >= 0 else 1 - v] += s
    if votes[0] == votes[1]:
        return default
    return 0 if votes[0] > votes[1] else 1
