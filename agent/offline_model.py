"""The offline reasoning backend: a tool-calling model that needs no network and no weights.

It speaks LangChain's tool-calling protocol exactly like an LLM (``bind_tools``, then ``invoke`` on the
conversation returns an ``AIMessage`` with tool calls), without being a ``BaseChatModel``: importing
``langchain_core.language_models.chat_models`` costs more than the whole offline turn (its tracer and callback
machinery, about 2 s of a 2-core machine's start-up), and the agent's nodes call nothing else.  It reads the
conversation, emits ``propose_edges`` → ``check_acyclicity`` → ``estimate_effect`` tool calls, and finally an
answer.  Reading the question
is done by :mod:`fmcgm.language`, which returns ranked readings without calling
the engine; one check injected here (:func:`engine_check`) picks between them,
and when readings disagree or something is missing the reasoner asks back with
``request_clarification``.  The answer itself comes from the ``estimate_effect``
tool's result, and the closing text is written from that result.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage, convert_to_messages

from agent.answer import result_text
from fmcgm.causal.deterministic import counterfactual
from fmcgm.causal.evaluate import answer_query
from fmcgm.errors import AssumptionViolation, FMCGMError, MissingQuantityError, NotIdentifiableError, ParseError
from fmcgm.language.normalize import join_turns, normalize
from fmcgm.language.numbers import approximations, refusals
from fmcgm.language.prose import as_question
from fmcgm.language.prose import sentences as read_sentences
from fmcgm.language.reader import EXAMPLE, decide, read_prose
from fmcgm.language.understand import Problem, understand
from fmcgm.vocabulary import Claim, QueryKind
from prompts import load
from tools.schemas import EstimateEffectArgs, GraphSpec, MechanismSpec, ProbabilityStatement, QuerySpec

CLARIFY = "request_clarification"
MAX_SENTENCES = 2000  # a story longer than this is declined at once (2,000 graph sentences read in about 6 s)
INFER = "infer_from_independences"


@dataclass(frozen=True)
class Clarification:
    """What the offline reasoner asks back: what it understood, what it could not read, what it needs."""

    understood: str
    unreadable: tuple[str, ...]
    missing: tuple[str, ...]
    example: str
    graph: dict[str, list] | None = None  # the graph understood so far: drawn, marked not committed

    def args(self) -> dict[str, Any]:
        out = {"understood": self.understood, "unreadable": list(self.unreadable), "missing": list(self.missing),
               "example": self.example}
        return {**out, "graph": self.graph} if self.graph else out

    def text(self) -> str:
        return load("not_understood").format(
            understood=self.understood,
            unreadable="\n".join(f"- {u}" for u in self.unreadable) or "- (none)",
            missing="\n".join(f"- {m}" for m in self.missing) or "- (nothing)",
            example=self.example).strip()


def engine_check(p: Problem) -> tuple:
    """The one check that decides between readings: the engine's answer (raises when it cannot answer)."""
    if p.kind == QueryKind.DET_COUNTERFACTUAL and p.outcome is not None:
        res = counterfactual(p.graph, p.mechanisms, p.observations, p.intervention, p.outcome)
        return ("det", res.determined, round(float(res.probability), 4))
    if p.query is None:
        raise ParseError("the reading has no query", "ask a causal question")
    r = answer_query(p.graph, p.query, p.statements, Claim(p.claim))
    return (r.answer, None if r.value is None else round(r.value, 3))


def _engine_error(p: Problem) -> FMCGMError | None:
    """Why the engine cannot answer this reading (None: it answers)."""
    try:
        engine_check(p)
    except FMCGMError as e:
        return e
    return None


def _violates_assumption(p: Problem) -> bool:
    return isinstance(_engine_error(p), AssumptionViolation)


def _answers(p: Problem) -> bool:
    return _engine_error(p) is None


@lru_cache(maxsize=512)
def _read(question: str, context: tuple[str, ...] = ()) -> Problem | Clarification:
    """Readings from both readers, ranked (free prose and notation first), decided by the engine check.

    ``context`` holds the earlier turns of the thread: their statements are the story the question is read
    against (a later number corrects an earlier one); their answers are never carried over."""
    thread = join_turns([*context, question])  # the whole thread's text, normalised once
    n = len(read_sentences(thread))
    if n > MAX_SENTENCES:  # reading is linear, but the engine on a graph of thousands of nodes is not interactive
        return Clarification("nothing yet", (), (f"a shorter story: this one has {n} sentences and I read at most "
                                                 f"{MAX_SENTENCES} in one question (attach a graph file or data instead)",),
                             EXAMPLE)
    refused = refusals(thread)
    if refused:  # a number no probability can have: say which, before any reader takes part of it
        return Clarification("nothing yet", (), tuple(r.message() for r in refused), EXAMPLE)
    changes: list[str] = []
    res = read_prose(question, context, changes)
    readings = list(res.readings)
    cladder_error: FMCGMError | None = None
    # the story-shaped reader has no notion of turns: it reads the earlier turns' statements (never their questions)
    # before this one, and only when nothing was corrected
    now = set(read_sentences(question))  # a story restated in this turn is read once
    stated = [" ".join(s for s in read_sentences(c) if not s.endswith("?") and s not in now) for c in context]
    try:
        p = understand(join_turns([*stated, question] if not changes else [question]), check=engine_check)
        if not any(n.startswith("no reading") for n in p.notes):
            readings.append(p)
        elif _violates_assumption(p) and not any(_answers(r) for r in readings):
            readings.append(p)  # no grounding answers, and the best one's numbers contradict its estimand: say so
    except FMCGMError as e:
        cladder_error = e
    if len(readings) > 1:  # a reading by slots is the fallback: a whole-sentence reading of the same question wins
        readings = [r for r in readings if not r.notes or not r.notes[0].endswith("(by slots)")] or readings
    if readings:
        d = decide(readings, engine_check)
        if d.problem is not None and (d.error is None or isinstance(d.error, NotIdentifiableError)):
            # numbers said to be approximate ("about 30%") are used as stated: the answer says so
            d.problem.notes += [f"approx: {a}" for a in approximations(thread) if f"approx: {a}" not in d.problem.notes]
            return d.problem  # an honest "not identifiable" is an answer, said by the tool
        if d.ask:
            return Clarification(res.understood[0], tuple(res.unreadable), (d.ask,), res.example, res.graph)
        if isinstance(d.error, MissingQuantityError):
            return Clarification(res.understood[0], tuple(res.unreadable),
                                 tuple(f"the probability {t}" for t in d.error.terms[:6]), res.example, res.graph)
        missing = (d.error.message,) if d.error else ()
        return Clarification(res.understood[0], tuple(res.unreadable), missing, res.example, res.graph)
    needed = list(res.missing)
    if not needed and cladder_error is not None:
        needed.append(cladder_error.message)
    if any(m.startswith("the causal graph") for m in needed):
        needed.append("the numbers: probabilities such as 'Among smokers, 30% get cancer' (or attach data with --data)")
    return Clarification(res.understood[0], tuple(res.unreadable), tuple(needed), res.example, res.graph)


def pending_question(messages: list[BaseMessage]) -> tuple[int | None, str, tuple[str, ...]]:
    """The latest user message to read, and the earlier user turns of the thread as its story.

    A message without a question continues the last question asked on the thread (the missing number was
    given, or a number corrected); the story of earlier turns stays, their answers do not."""
    humans = [i for i, m in enumerate(messages)
              if isinstance(m, HumanMessage) and not m.additional_kwargs.get("fmcgm_nudge")]
    if not humans:
        return None, "", ()
    latest = as_question(normalize(str(messages[humans[-1]].content)))
    earlier = tuple(t for t in (normalize(str(messages[i].content)) for i in humans[:-1]) if t)
    if "?" not in latest:
        asked = [s for t in earlier for s in read_sentences(t) if s.endswith("?")]
        if asked:
            latest = join_turns([latest, asked[-1]])
    return humans[-1], latest, earlier


def _asked_back(m: BaseMessage) -> bool:
    if not isinstance(m, AIMessage):
        return False
    return bool(m.additional_kwargs.get("fmcgm_asked_back")) or any(tc["name"] == CLARIFY for tc in m.tool_calls)


def problem_arguments(p: Problem) -> dict[str, Any]:
    """estimate_effect arguments for a structured problem, through the tools' own argument model."""
    graph = GraphSpec.of(p.graph)
    if p.kind == QueryKind.DET_COUNTERFACTUAL:
        assert p.outcome is not None, "a deterministic counterfactual problem names its outcome"
        (x, xv), = p.intervention.items()
        args = EstimateEffectArgs(
            graph=graph,
            query=QuerySpec(kind=QueryKind.DET_COUNTERFACTUAL, treatment=x, treatment_value=xv,
                            outcome=p.outcome[0], outcome_value=p.outcome[1]),
            mechanisms=[MechanismSpec.of(m) for m in p.mechanisms], observations=p.observations,
            factual={x: 1 - xv}, claim=Claim.HOLDS)
    else:
        assert p.query is not None, "a probabilistic problem carries its query"
        args = EstimateEffectArgs(graph=graph, query=QuerySpec.of(p.query),
                                  statements=[ProbabilityStatement.of(s) for s in p.statements], claim=p.claim,
                                  corrections=[n.removeprefix("changed: ") for n in p.notes if n.startswith("changed: ")],
                                  approximations=[n.removeprefix("approx: ") for n in p.notes
                                                  if n.startswith("approx: ")][:20],
                                  assumptions=[n.removeprefix("assume: ") for n in p.notes if n.startswith("assume: ")])
    return args.model_dump(mode="json")


def _call(name: str, args: dict) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}",
                                              "type": "tool_call"}])


def _final(text: str) -> AIMessage:
    return AIMessage(content=text)


def _asked(text: str) -> AIMessage:
    """A closing message that asks the user back; the next message on the thread continues this question."""
    return AIMessage(content=text, additional_kwargs={"fmcgm_asked_back": True})


def _failure(prefix: str, res: dict) -> AIMessage:
    err = res.get("error") or {}
    return _final(f"{prefix}: {err.get('message', res.get('summary', 'tool error'))}. {err.get('hint', '')}".strip())


@lru_cache(maxsize=512)
def _visual(question: str):
    from fmcgm.language.visual import parse_visual

    try:
        return parse_visual(question)
    except FMCGMError:
        return None


def _unreadable_value(visual) -> Clarification | None:
    """The question back when a value of a visual question cannot be read (e.g. a unit of another quantity)."""
    from fmcgm.worlds import get_world

    world = get_world(visual.world)
    for k, v in visual.intervention.items():
        try:
            world.parse_value(k, v)
        except FMCGMError as e:
            c = world.concept(k)
            return Clarification(f"a counterfactual picture of the {world.name} world with {c.name} changed",
                                 (e.message,), (e.hint,), f'"... if the {c.name.replace("_", " ")} were '
                                 f'{next(iter(c.value_words), "10")}" or "... were 10%"')
    return None


def _graph_step(results: list[tuple[str | None, dict]], failed: str) -> AIMessage | None:
    """The steps every graph-first turn shares, after its first call: a failed tool ends the turn (``failed`` says
    what could not be done); a proposed graph is checked for cycles next.  None: the turn goes on its own way."""
    name, res = results[-1]
    if not res.get("ok", False):
        return _failure(failed, res)
    if name == "propose_edges":
        return _call("check_acyclicity", {"graph": res["data"]["graph"]})
    return None


class OfflineReasoner:
    """Deterministic, offline tool-calling model for structured causal questions.

    What the agent calls of a chat model, and nothing more: ``bind_tools(tools)`` and ``invoke(messages)``
    returning an ``AIMessage`` (its id marked as a run's, as LangChain's chat models mark theirs)."""

    _llm_type = "fmcgm-offline"

    def __init__(self, tools: frozenset[str] = frozenset()) -> None:
        self.tools = tools  # the names of the tools bound (none: the reasoner asks back in words)

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: str | None = None, **kwargs: Any) -> OfflineReasoner:
        """A reasoner that may call these tools (LangChain tools, or OpenAI-style tool dicts)."""
        return OfflineReasoner(frozenset(_tool_name(t) for t in tools))

    def invoke(self, input: Any, config: Any = None, **kwargs: Any) -> AIMessage:
        """The next message of the conversation ``input`` (messages, or a string as one user message)."""
        reply = self.next_message(convert_to_messages([input] if isinstance(input, str) else input), set(self.tools))
        if reply.id is None:
            reply.id = f"lc_run--{uuid.uuid4()}-0"
        return reply

    def _visual_turn(self, visual, results, tools: set[str] | None = None) -> AIMessage:
        """propose_edges → check_acyclicity → apply_do → render_image → answer, for a world image question (on the
        graph of the mechanism the question states, when it states one)."""
        graph = _visual_graph(visual.world, visual.mechanism)
        unread = _refused_mechanism(visual) or _unreadable_value(visual)
        if unread is not None:  # a unit the world does not read: asked back, never rendered at the bare number
            if (results and results[-1][0] == CLARIFY) or not (tools and CLARIFY in tools):
                return _asked(unread.text())
            return _call(CLARIFY, unread.args())
        if not results:
            return _call("propose_edges", {"edges": graph["edges"]})
        shared = _graph_step(results, "I could not render the counterfactual")
        if shared is not None:
            return shared
        name, res = results[-1]
        if name == "check_acyclicity":
            from fmcgm.worlds import get_world

            world = get_world(visual.world)
            do = {k: world.parse_value(k, v) for k, v in visual.intervention.items()}
            return _call("apply_do", {"graph": graph, "intervention": do})
        if name == "apply_do":
            image = {"image": visual.image} if visual.image else {}
            stated = visual.mechanism
            scm = {"scm": stated.spec, "assumptions": [f"the mechanism read from your words ({', '.join(stated.rules)}): "
                                                       + "; ".join(f"'{c}'" for c in stated.clauses),
                                                       *stated.assumptions]} if stated is not None else {}
            return _call("render_image", {"world": visual.world, "intervention": visual.intervention, **image, **scm})
        return _final(_visual_answer(res))

    def next_message(self, messages: list[BaseMessage], tools: set[str] | None = None) -> AIMessage:
        start, question, context = pending_question(messages)
        if start is None:
            return _final("Ask me a causal question.")
        results = [(m.name, _json(m.content)) for m in messages[start + 1:] if isinstance(m, ToolMessage)]
        independence = _independence(str(messages[start].content))
        if independence is not None:
            return _independence_turn(independence, results)
        visual = _visual(str(messages[start].content))
        if visual is not None:
            return self._visual_turn(visual, results, tools)
        plan = _read(question, context)
        attached = _attached(messages)
        if attached is not None and (isinstance(plan, Clarification) or not plan.graph.edges):
            data_question, replies = _data_question(messages, start)
            return _data_turn(data_question, attached, results, replies)
        if isinstance(plan, Clarification):
            if results and results[-1][0] == CLARIFY:
                return _asked(plan.text())
            if tools and CLARIFY in tools:
                return _call(CLARIFY, plan.args())
            return _asked(plan.text())
        if not results:
            spec = GraphSpec.of(plan.graph)
            return _call("propose_edges", {"edges": [list(e) for e in spec.edges], "latent": spec.latent})
        shared = _graph_step(results, "I could not answer")
        if shared is not None:
            return shared
        name, res = results[-1]
        if name == "check_acyclicity":
            if not res["data"]["acyclic"]:
                return _final(f"The causal graph is not valid: {res['summary']}.")
            return _call("estimate_effect", problem_arguments(plan))
        if name == "estimate_effect":
            return _final(result_text(res))
        return _final(res.get("summary", ""))


def _tool_name(tool: Any) -> str:
    """A bound tool's name: a LangChain tool's ``name``, or an OpenAI-style dict's (``{"function": {"name": ...}}``)."""
    if isinstance(tool, dict):
        return str((tool.get("function") or {}).get("name") or tool.get("name"))
    return str(getattr(tool, "name", None) or getattr(tool, "__name__", tool))


@lru_cache(maxsize=512)
def _independence(question: str) -> dict[str, str] | None:
    """The tool's arguments when the whole question is stated independences and a hypothesis (the reader of
    :mod:`fmcgm.discovery.independence_statements` accepts every word of it, or the plain-word reader of
    :mod:`fmcgm.discovery.plain_independence` claims it); otherwise ``None``."""
    from fmcgm.discovery.independence_statements import split_problem
    from fmcgm.discovery.plain_independence import claims, split_plain

    try:
        premises, hypothesis = split_problem(question)
    except FMCGMError:
        if not claims(question):  # plain words: the last sentence a hypothesis, another a statement
            return None
        premises, hypothesis = split_plain(question)  # a sentence the tool cannot read: it declines, naming it
    return {"premises": premises, "hypothesis": hypothesis}


def _independence_turn(args: dict[str, str], results: list) -> AIMessage:
    """infer_from_independences → answer, written from the tool's result."""
    if not results:
        return _call(INFER, args)
    _, res = results[-1]
    if not res.get("ok", False):
        return _failure("I could not answer", res)
    return _final(result_text(res))


def _attached(messages: list[BaseMessage]) -> dict | None:
    from agent.data_support import DATA_KEY

    return next((m.additional_kwargs[DATA_KEY] for m in messages
                 if isinstance(m, SystemMessage) and DATA_KEY in m.additional_kwargs), None)


def _data_question(messages: list[BaseMessage], start: int) -> tuple[str, list[str]]:
    """The data question of the turn and the columns the user named to settle which one a word meant: a
    message without a question mark that follows our asking back continues the question asked before it."""
    latest = str(messages[start].content)
    if "?" in latest or not any(_asked_back(m) for m in messages[:start]):
        return latest, []
    earlier = [str(m.content) for m in messages[:start] if isinstance(m, HumanMessage) and "?" in str(m.content)]
    return (earlier[-1], [latest]) if earlier else (latest, [])


def _data_turn(question: str, attached: dict, results: list, replies: list[str] | None = None) -> AIMessage:
    """discover_graph → estimate_from_data → answer, for a question with data and no graph.  A word that fits
    two columns equally well is asked back (:class:`AmbiguousColumn`); ``replies`` name the column meant."""
    from fmcgm.discovery.question import AmbiguousColumn, named_columns, read_effect_question

    prefer = [c for r in replies or [] for c in named_columns(r, attached["columns"])]
    try:
        q = read_effect_question(question, attached["columns"], prefer=prefer)
    except AmbiguousColumn as e:
        return _asked(f"Which column do you mean: {e.message.split(': ', 1)[1]}? The question's "
                      f"{e.phrase!r} fits each of them equally well; reply with the column's name.")
    except FMCGMError as e:
        return _final(f"{e.message}. {e.hint}".strip())
    if not results:
        return _call("discover_graph", {"focus": [q.treatment, q.outcome]})
    name, res = results[-1]
    if not res.get("ok", False):
        return _failure("I could not answer from the data", res)
    if name == "discover_graph":
        return _call("estimate_from_data", {"graph": res["data"]["graph"], "treatment": q.treatment,
                                            "outcome": q.outcome, "claim": q.claim})
    return _final(result_text(res))


def _visual_graph(world_name: str, stated=None) -> dict:
    """The world's graph, or the graph of the SCM the question states (the world's mechanisms it leaves kept)."""
    from fmcgm.worlds import get_world

    world = get_world(world_name)
    if stated is not None:
        from fmcgm.worlds.user_scm import with_scm

        world = with_scm(world, stated.scm)
    return GraphSpec.of(world.graph()).model_dump(mode="json")


def _refused_mechanism(visual) -> Clarification | None:
    """Why the mechanism the question states cannot be rendered (a concept or unit the world lacks, a cycle, a
    mechanism outside the generator's menu or its concept's range): said, nothing rendered."""
    from fmcgm.language.mechanism_words import rules
    from fmcgm.worlds import get_world

    e = visual.refusal
    if e is None:
        return None
    world = get_world(visual.world)
    forms = "; ".join(f"'{r.example}'" for r in rules() if r.world == world.name and r.mechanism != "inverse")
    return Clarification(f"a counterfactual picture of the {world.name} world under a mechanism you stated",
                         (e.message,), tuple(x for x in (e.hint,) if x), f"forms I read: {forms}")


def _visual_answer(res: dict) -> str:
    d = res.get("data", {})
    fv, cv = d.get("factual_values", {}), d.get("counterfactual_values", {})
    under = [a for a in d.get("assumptions", []) if a.startswith("the SCM used: ")]
    lines = [f"In the {d.get('world')} world, do({', '.join(f'{k}={v:.3g}' for k, v in d.get('intervention', {}).items())}) "
             f"changes {', '.join(d.get('changed', []))}; everything else stays."]
    if under:  # the user's own mechanism: said first, with what was assumed in reading it
        lines[0] = lines[0].replace(" world, do(", " world under the mechanism you stated, do(")
        lines.append("Mechanism used: " + under[0].removeprefix("the SCM used: ") + ".")
        lines += [f"Assumed: {a}" for a in d.get("assumptions", []) if a not in under]
    if d.get("factual_source") not in (None, "sampled", "given"):
        lines.append(f"Factual values read from the image by the {d['factual_source']}: "
                     + ", ".join(f"{k}={v:.3g}" for k, v in fv.items()))
    for c in d.get("changed", []):
        lines.append(f"- {c}: {fv.get(c, float('nan')):.3g} -> {cv.get(c, float('nan')):.3g} "
                     f"(measured in the generated image: {d.get('measured', {}).get(c, float('nan')):.3g})")
    check = d.get("check") or {}
    if check and not check.get("ok"):
        lines.append(f"The picture is off after {len(d.get('attempts', []))} attempt(s), so do not trust it: "
                     + "; ".join(check.get("problems", [])))
    elif check:
        lines.append(f"Checked: every changed concept measures within {check.get('tolerance_pct', 10):g}% of its range "
                     "of the counterfactual value, one of each object.")
    lines.append(f"Counterfactual image: {d.get('paths', {}).get('side_by_side')} (factual | counterfactual | mask)")
    return "\n".join(lines)


def _json(content: Any) -> dict:
    if isinstance(content, dict):
        return content
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return {"ok": False, "summary": str(content)}
