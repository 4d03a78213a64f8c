"""From a plain-language causal story to a structured problem the causal engine can answer.

This is the reader of CLadder-shaped stories: parse the story, ground its
phrases to variables (keeping the best grounding that passes the injected
``check``, at most ``MAX_TRIES`` groundings so a question never takes long),
and return the graph, the probability statements, the query and the claim to
check.  It does not compute the answer: the tools do that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fmcgm.causal.deterministic import Mechanism, counterfactual
from fmcgm.causal.graph import CausalGraph, parents
from fmcgm.causal.probability import Statement
from fmcgm.causal.queries import Query
from fmcgm.errors import FMCGMError, ParseError
from fmcgm.language.grounding import Item, assignments, collect, norm, phrase_value
from fmcgm.language.names import negating, tokens
from fmcgm.language.question import QuestionSpec, parse_question
from fmcgm.language.story import Story, parse_story
from fmcgm.language.text import negation_count, polarity, similarity
from fmcgm.vocabulary import QueryKind

MAX_TRIES = 12  # groundings checked per question (issue 12: declining took minutes at 80)
Check = Callable[["Problem"], object]


@dataclass
class Problem:
    graph: CausalGraph
    question: str
    kind: str
    claim: str
    statements: list[Statement] = field(default_factory=list)
    query: Query | None = None
    mechanisms: list[Mechanism] = field(default_factory=list)
    observations: dict[str, int] = field(default_factory=dict)
    intervention: dict[str, int] = field(default_factory=dict)
    outcome: tuple[str, int] | None = None
    correlation: float | None = None
    phrases: dict[str, str] = field(default_factory=dict)  # phrase -> "node=value"
    notes: list[str] = field(default_factory=list)


def read_graph(story: Story) -> CausalGraph:
    bg = story.background
    if not bg.edges:
        raise ParseError("no causal graph found in the question",
                         "describe it with sentences such as 'A has a direct effect on B and C.'")
    return CausalGraph.build(bg.edges, nodes=bg.names, latent=bg.latent)


def understand(text: str, check: Check | None = None) -> Problem:
    """The best reading of a CLadder-shaped story: the first grounding that passes ``check`` (when given)."""
    story = parse_story(text)
    if story.unparsed:  # a reading that skips sentences could be confidently wrong: leave it to the other reader
        raise ParseError(f"could not read: {'; '.join(story.unparsed[:3])}",
                         "write it as 'For X, the probability of Y is 30%.'")
    spec = parse_question(story.question)
    g = read_graph(story)
    if spec.kind == QueryKind.DET_COUNTERFACTUAL:
        return _det(story, spec, g)
    return _probabilistic(story, spec, g, check)


# -- probability questions -------------------------------------------------------------------

def _question_items(spec: QuestionSpec, start: int) -> dict[str, Item]:
    out: dict[str, Item] = {}

    def add(key, phrase):
        if phrase:
            out[key] = Item(start + len(out), {None: [phrase]}, "question:" + key)

    add("x", spec.treatment)
    add("y", spec.outcome)
    add("c", spec.condition)
    for i, m in enumerate(spec.mediators):
        add(f"m{i}", m)
    return out


def _probabilistic(story: Story, spec: QuestionSpec, g: CausalGraph, check: Check | None) -> Problem:
    col = collect(story)
    items = list(col.items)
    q_items = _question_items(spec, len(items))
    if spec.kind == QueryKind.ETT and "c" in q_items:  # the treated group names the treatment
        q_items["x"] = q_items.pop("c")
    method_items: list[tuple[int, list[Item]]] = []
    for ms in col.methods:
        adj = [Item(0, {None: [p]}, "adjust") for p in ms.adjust]
        method_items.append((ms.number, adj))
    extra = list(q_items.values()) + [a for _, adj in method_items for a in adj]
    for k, it in enumerate(extra):
        it.id = len(items) + k
    items += extra
    distinct = [set(it_id for it_id, _ in (*s.event, *s.given)) for s in col.statements]
    distinct.append({it.id for key, it in q_items.items() if key != "c"})
    for c, a, b, _ in col.correlations:
        distinct.append({c, a, b})
    nodes = list(g.nodes)
    first_error: FMCGMError | None = None
    best: Problem | None = None
    for n_try, amap in enumerate(assignments(items, nodes, distinct)):
        if n_try >= MAX_TRIES:
            break
        try:
            prob = _build(story, spec, g, col, items, q_items, method_items, amap)
            if check is not None:
                check(prob)
            return prob
        except FMCGMError as e:
            # contradicting numbers under one grounding usually mean the grounding is wrong (CLadder phrases
            # name several variables); the engine's own consistency check then vets the next grounding too
            if first_error is None:
                first_error = e
                best = locals().get("prob")
            continue
    if best is not None:
        best.notes.append(f"no reading of the story lets the engine answer: {first_error}")
        return best
    raise first_error or ParseError("could not relate the question's phrases to the graph's variables",
                                    "name the variables as in the graph, or switch on an LLM backend")


def _require_known(q_items: dict[str, Item], node: dict[str, str], known: dict[str, dict]) -> None:
    """A question phrase must share a word with its variable or with a story phrase about it (issue 12)."""
    unknown = []
    for key, it in q_items.items():
        p = it.all_phrases()[0]
        story = [q for ps in known.get(node[key], {}).values() for q in ps]
        if similarity(p, node[key]) == 0 and all(similarity(p, q) == 0 for q in story):
            unknown.append(p)
    if unknown:
        raise ParseError(f"the question names {', '.join(repr(u) for u in unknown)}, which the story does not mention",
                         f"ask about the story's variables: {', '.join(sorted(known) or [])}")


def _node_phrases(items: list[Item], amap: dict[int, str]) -> dict[str, dict[int | None, list[str]]]:
    out: dict[str, dict[int | None, list[str]]] = {}
    for it in items:
        if it.id not in amap or it.role.startswith("question") or it.role == "adjust":
            continue
        d = out.setdefault(amap[it.id], {})
        for v, ps in it.phrases.items():
            d.setdefault(v, []).extend(ps)
    return out


def _value(item: Item | None, node: str, known: dict[str, dict], default: int = 1) -> int:
    if item is None:
        return default
    phrase = item.all_phrases()[0]
    return phrase_value(phrase, known.get(node, {}), default)


def _negates(phrase: str) -> bool:
    """The phrase negates what it names: a negation or negated part ("not", "cancer-free") or a verb that negates
    its object ("stopping exercise", "giving up coffee")."""
    toks = tokens(phrase)
    return negation_count(phrase) > 0 or any(negating(toks, j) for j in range(min(2, len(toks))))


def _grounded(node: dict[str, str], key: str, kind: str) -> str:
    """The variable a question role is grounded to (parse_question gives every role its kind uses)."""
    if key not in node:
        raise ParseError(f"the {kind} question names no {'treatment' if key == 'x' else 'outcome'}",
                         "name the cause and the effect the question asks about")
    return node[key]


def _build(story, spec: QuestionSpec, g: CausalGraph, col, items, q_items, method_items, amap) -> Problem:
    known = _node_phrases(items, amap)
    by_id = {it.id: it for it in items}
    statements = []
    phrases: dict[str, str] = {}
    for s in col.statements:
        def resolve(pairs):
            out = {}
            for it_id, v in pairs:
                node = amap[it_id]
                if v == -1:  # value to be judged from the phrase
                    v = _value(by_id[it_id], node, known)
                out[node] = v
            return out
        ev, gv = resolve(s.event), resolve(s.given)
        statements.append(Statement.of(ev, gv, s.p))
    for it in items:
        if it.id in amap:
            for v, ps in it.phrases.items():
                for p in ps:
                    phrases[p] = f"{amap[it.id]}" + (f"={v}" if v is not None and v >= 0 else "")
    node = {k: amap[it.id] for k, it in q_items.items()}
    _require_known(q_items, node, known)
    y = _grounded(node, "y", spec.kind)
    x = _grounded(node, "x", spec.kind) if spec.kind != QueryKind.MARGINAL else ""  # a marginal question has no treatment
    claim = spec.claim
    kind = spec.kind
    if kind in ("ate", "correlation"):
        x1 = _value(q_items.get("x"), x, known)
        yv = _value(q_items.get("y"), y, known)
        query = Query(QueryKind(kind), y, x, x1, 1 - x1, yv)
    elif kind == "marginal":
        query = Query(QueryKind.MARGINAL, y, None, outcome_value=_value(q_items.get("y"), y, known))
    elif kind == "ett":
        treated = _value(q_items.get("x"), x, known)
        query = Query(QueryKind.ETT, y, x, treated, 1 - treated, _value(q_items.get("y"), y, known))
    elif kind in ("nde", "nie"):
        for role, phrase in (("cause", spec.treatment), ("outcome", spec.outcome)):
            if phrase and _negates(phrase):
                # "would stopping X affect Y, leaving M aside?": that contrast starts from X's world, with M at its
                # level there, and its sign need not be minus X's own direct or indirect effect
                raise ParseError(f"the {kind.upper()} of {phrase!r}: the question negates the {role}, and a "
                                 f"{'direct' if kind == 'nde' else 'indirect'} effect of the reverse change is not "
                                 f"the negative of the forward one", f"ask about {x} and {y} themselves")
        meds = tuple(node[k] for k in sorted(node) if k.startswith("m"))
        query = Query(QueryKind(kind), y, x, 1, 0, 1, mediators=meds)
    elif kind == "exp_away":
        c = node["c"]
        cv = _value(q_items.get("c"), c, known)
        x1 = _value(q_items.get("x"), x, known)
        query = Query(QueryKind.EXP_AWAY, y, x, x1, 1 - x1,
                      _value(q_items.get("y"), y, known), condition=((c, cv),))
    elif kind == "collider_bias":
        query = Query(QueryKind.COLLIDER_BIAS, y, x)
    elif kind == "backadj":
        sets = {n: tuple(sorted({amap[a.id] for a in adj})) for n, adj in method_items}
        if set(sets) != {1, 2}:
            raise ParseError("the question compares Method 1 and Method 2 but they were not both described",
                             "describe both methods")
        query = Query(QueryKind.BACKADJ, y, x, adjustment_sets=(sets[1], sets[2]))
    else:  # pragma: no cover - parse_question only yields the kinds above
        raise ParseError(f"unsupported question kind {kind}")
    return Problem(g, story.question, kind, claim, statements, query, phrases=phrases,
                   correlation=col.correlations[0][3] if col.correlations else None)


# -- deterministic counterfactuals -------------------------------------------------------------

def _det(story: Story, spec: QuestionSpec, g: CausalGraph) -> Problem:
    if spec.outcome is None or spec.counterfactual is None or spec.factual is None:  # parse_question sets all three
        raise ParseError("a counterfactual question needs an outcome, a counterfactual and a factual clause",
                         "ask e.g. 'Would Y happen if A instead of B?'")
    lits: list[Item] = []
    mech_refs: list[tuple[list[int], str, list[int]]] = []
    for m in story.mechanisms:
        cs = [Item(len(lits) + i, {None: [c]}, "cause") for i, c in enumerate(m.causes)]
        lits += cs
        es = [Item(len(lits) + i, {None: [e]}, "effect") for i, e in enumerate(m.effects)]
        lits += es
        mech_refs.append(([c.id for c in cs], m.op, [e.id for e in es]))
    obs = [Item(len(lits) + i, {None: [o]}, "observed") for i, o in enumerate(story.observations)]
    lits += obs
    qy = Item(len(lits), {None: [spec.outcome]}, "question:y")
    qa = Item(len(lits) + 1, {None: [spec.counterfactual]}, "question:x")
    qb = Item(len(lits) + 2, {None: [spec.factual]}, "question:x_factual")
    items = lits + [qy, qa, qb]
    distinct = [set(c) | set(e) for c, _, e in mech_refs] + [{qy.id, qa.id}]
    first_error = None
    fallback: Problem | None = None
    for widen in (False, True):
        for n_try, amap in enumerate(assignments(items, list(g.nodes), distinct, widen=widen)):
            if n_try >= MAX_TRIES * 3:
                break
            if amap[qa.id] != amap[qb.id]:
                continue
            if not all({amap[c] for c in cs} <= parents(g, amap[e]) for cs, _, es in mech_refs for e in es):
                continue
            try:
                prob = _det_problem(story, spec, g, items, mech_refs, obs, qy, qa, qb, amap)
                if prob.outcome is None:  # _det_problem always sets it
                    raise ParseError("the counterfactual question has no outcome", "name the outcome asked about")
                res = counterfactual(g, prob.mechanisms, prob.observations, prob.intervention, prob.outcome)
            except FMCGMError as e:
                first_error = first_error or e
                continue
            if res.determined:  # a well-posed question has one answer: prefer readings that give it
                return prob
            fallback = fallback or prob
    if fallback:
        return fallback
    raise first_error or ParseError("could not match the rules' phrases to the graph's variables",
                                    "write rules with the variables' names, e.g. 'A and B causes C'")


def _det_problem(story, spec, g, items, mech_refs, obs, qy, qa, qb, amap) -> Problem:
    by_id = {it.id: it for it in items}
    anchor: dict[str, tuple[str, int]] = {}  # node -> (reference phrase, its value)
    for it in items:
        node = amap[it.id]
        if node not in anchor and it.role in ("cause", "effect"):
            p = it.all_phrases()[0]
            anchor[node] = (p, 0 if polarity(p, node) < 0 else 1)

    def val(it: Item) -> int:
        node = amap[it.id]
        p = it.all_phrases()[0]
        if node not in anchor:
            anchor[node] = (p, 0 if polarity(p, node) < 0 else 1)
            return anchor[node][1]
        ref, rv = anchor[node]
        if norm(p) == norm(ref):
            return rv
        return rv if polarity(p, ref) >= 0 else 1 - rv

    mechanisms = []
    for cs, op, es in mech_refs:
        inputs = tuple((amap[c], val(by_id[c])) for c in cs)
        for e in es:
            mechanisms.append(Mechanism(amap[e], val(by_id[e]), op, inputs))
    observations = {amap[o.id]: val(o) for o in obs}
    x = amap[qa.id]
    a, b = val(qa), val(qb)
    if a == b:  # "A instead of B" names two different values: trust the phrase used in the rules
        ref = anchor.get(x, ("", 1))[0]
        if norm(qb.all_phrases()[0]) == norm(ref) or norm(qa.all_phrases()[0]) != norm(ref):
            a = 1 - b
        else:
            b = 1 - a
    y = amap[qy.id]
    return Problem(g, story.question, "det_counterfactual", "holds", mechanisms=mechanisms,
                   observations=observations, intervention={x: a}, outcome=(y, val(qy)),
                   phrases={it.all_phrases()[0]: f"{amap[it.id]}" for it in items})
