"""The causal tools the agent calls: thin, validated wrappers over the causal core.

Every tool takes its pydantic argument model and returns a :class:`ToolResult`
(JSON-serialisable, with a one-line summary).  Bad input comes back as
``ok: false`` with an error code, message and hint the model can act on —
never as an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from fmcgm.causal import graph as G
from fmcgm.causal.deterministic import counterfactual
from fmcgm.causal.evaluate import answer_query
from fmcgm.errors import ErrorCode, FMCGMError, ParseError, cycle_message
from fmcgm.language.story import parse_background, sentences
from fmcgm.vocabulary import QueryKind
from tools.schemas import (
    AcyclicityData,
    ApplyDoArgs,
    CheckAcyclicityArgs,
    ClarificationData,
    EffectData,
    EstimateEffectArgs,
    GraphData,
    GraphSpec,
    ProposeEdgesArgs,
    RequestClarificationArgs,
    ToolResult,
)


def error_result(err: Exception) -> ToolResult:
    if isinstance(err, FMCGMError):
        return ToolResult.failure(err.code, err.message, err.hint)
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "arguments"
        got = first.get("input")
        shown = repr(got)[:80] if not isinstance(got, (dict, list)) else type(got).__name__
        if first["type"] == "extra_forbidden":
            return ToolResult.failure(ErrorCode.INVALID_ARGUMENTS, f"{where}: not an argument of this tool (got {shown})",
                                      "remove it and send only the arguments the tool's schema names")
        return ToolResult.failure(ErrorCode.INVALID_ARGUMENTS, f"{where}: {first['msg']} (got {shown})",
                                  for_model="fix the argument to match the tool's schema")
    return ToolResult.failure(ErrorCode.INTERNAL_ERROR, str(err), "report this as a bug")


def propose_edges(args: ProposeEdgesArgs) -> ToolResult:
    """Build a causal graph from explicit edges or from a structured description."""
    if args.edges:
        g = G.CausalGraph.build(args.edges, latent=args.latent)
    elif args.description:
        bg, _ = parse_background(sentences(args.description))
        if not bg.edges:
            raise ParseError("no causal relation found in the description",
                             "write sentences like 'A has a direct effect on B and C.' or pass explicit edges")
        g = G.CausalGraph.build(bg.edges, nodes=bg.names, latent=[*bg.latent, *args.latent])
    else:
        raise ParseError("propose_edges needs edges or a description", "pass edges=[[cause, effect], ...]")
    summary = f"graph with {len(g.nodes)} variables and {len(g.edges)} edges" + (
        f"; unobserved: {', '.join(sorted(g.latent))}" if g.latent else "")
    return ToolResult(ok=True, summary=summary, data=GraphData(graph=GraphSpec.of(g).model_dump(mode="json")))


def check_acyclicity(args: CheckAcyclicityArgs) -> ToolResult:
    """Check that the graph has no directed cycle; name the cycle when it has one."""
    acyclic, cycle = G.is_acyclic(args.graph.edges)
    if acyclic:
        return ToolResult(ok=True, summary="the graph is acyclic", data=AcyclicityData(acyclic=True, cycle=[]))
    return ToolResult(ok=True, summary=cycle_message(cycle), data=AcyclicityData(acyclic=False, cycle=cycle))


def apply_do(args: ApplyDoArgs) -> ToolResult:
    """Graph surgery for do(X = x): remove the edges into the intervened variables."""
    g = args.graph.to_graph()
    g.require(*args.intervention)
    h = G.do(g, args.intervention)
    removed = sorted(set(g.edges) - set(h.edges))
    what = ", ".join(f"{k}={v:g}" for k, v in args.intervention.items())
    return ToolResult(ok=True, summary=f"do({what}) removes {len(removed)} incoming edge(s)",
                      data=GraphData.model_validate({
                          "graph": GraphSpec.of(h).model_dump(mode="json"), "removed_edges": [list(e) for e in removed],
                          "intervention": args.intervention,
                          "descendants": sorted(G.descendants(g, args.intervention) - set(args.intervention))}))


def estimate_effect(args: EstimateEffectArgs) -> ToolResult:
    """Identify the query on the graph and compute it exactly from the given probabilities."""
    g = args.graph.to_graph()
    if args.query.kind == QueryKind.DET_COUNTERFACTUAL:
        return _det(g, args)
    query = args.query.to_query()
    res = answer_query(g, query, [s.to_statement() for s in args.statements], args.claim)
    data = {**res.to_dict(), "corrections": list(args.corrections)}
    if args.approximations or args.assumptions:  # "about 30%" was used as 0.30, a graph read from the numbers
        data["assumptions"] = [*args.assumptions, *data.get("assumptions", []),
                               *(f"'{a}' read as the exact number" for a in args.approximations)]
    if res.value is not None:
        val = f"{res.value:.4f}"
    elif res.bounds:
        val = f"in [{res.bounds[0]:.4f}, {res.bounds[1]:.4f}]"
    else:
        val = "n/a"
    summary = f"{query.describe()} = {val} via {res.method}" + (f"; answer: {res.answer}" if res.answer else "")
    return ToolResult(ok=True, summary=summary, data=EffectData.model_validate(data))


def _det(g: G.CausalGraph, args: EstimateEffectArgs) -> ToolResult:
    q = args.query
    if not q.treatment:
        raise ParseError("a counterfactual needs the intervened variable as treatment", "set query.treatment")
    mechs = [m.to_mechanism() for m in args.mechanisms]
    do = {q.treatment: q.treatment_value}
    outcome = (q.outcome, q.outcome_value)
    res = counterfactual(g, mechs, dict(args.observations), do, outcome)
    if not res.determined and args.factual:
        try:  # the factual value of the intervened variable can pin down unobserved causes
            res = counterfactual(g, mechs, {**args.observations, **args.factual}, do, outcome)
        except FMCGMError:
            pass
    answer = None
    if res.determined:
        answer = "yes" if res.probability == 1.0 else "no"
    # an undetermined outcome gets no number: a share of consistent worlds would weigh them all alike, which the
    # story never said (a hostile probe read "0.5" as a confident answer)
    summary = (f"{q.outcome}={q.outcome_value} under do({q.treatment}={q.treatment_value}): "
               + (answer if answer else "not determined: it holds in some worlds consistent with what was observed "
                                        "and fails in others; say the unobserved causes to settle it"))
    return ToolResult(ok=True, summary=summary, data=EffectData.model_validate({
        "kind": QueryKind.DET_COUNTERFACTUAL, "answer": answer, "value": res.probability if res.determined else None,
        "determined": res.determined,
        "estimand": f"{q.outcome}_{{{q.treatment}={q.treatment_value}}} = {q.outcome_value} given {args.observations or '{}'}",
        "method": "abduction-action-prediction over deterministic mechanisms", "steps": res.steps,
        "exact": True, "assumptions": [] if res.determined else ["unobserved causes leave the outcome undetermined"]}))


def request_clarification(args: RequestClarificationArgs) -> ToolResult:
    """Ask the user for what is missing (a graph, a probability, a variable) instead of guessing; ends the turn
    without an answer. Say what was understood, which sentences could not be read and give an example."""
    if not (args.missing or args.unreadable):
        raise ParseError("request_clarification needs what is missing or what could not be read",
                         "fill in missing (e.g. ['a causal graph']) or unreadable")
    need = "; ".join(args.missing) or "a rewording of the unreadable sentences"
    return ToolResult(ok=True, summary=f"asked the user for: {need}", data=ClarificationData.model_validate(args.model_dump()))


def run_impl(impl: Callable[[Any], ToolResult], args: BaseModel) -> dict:
    """A tool's implementation on validated arguments; its own failures become an error result."""
    try:
        return impl(args).model_dump(mode="json")  # enums and tuples as plain JSON
    except (FMCGMError, ValidationError) as e:
        return error_result(e).model_dump(mode="json")


def safe(impl: Callable[[Any], ToolResult], schema: type[BaseModel]) -> Callable[..., dict]:
    """The function a LangChain tool wraps, for a caller that invokes the tool itself (the agent uses
    ``call_tool``): the schema's own validation, then the implementation."""

    def run(**kwargs: Any) -> dict:
        try:
            args = schema.model_validate(kwargs)
        except ValidationError as e:
            return error_result(e).model_dump(mode="json")
        return run_impl(impl, args)

    run.__name__ = impl.__name__
    run.__doc__ = impl.__doc__
    return run
