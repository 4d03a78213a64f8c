"""The causal tools the agent calls: thin, validated wrappers over the causal core.

Every tool returns a :class:`ToolResult` (JSON-serialisable, with a one-line
summary).  Bad input comes back as ``ok: false`` with an error code, message
and hint the model can act on — never as an exception.
"""

from __future__ import annotations

from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from fmcgm.causal import graph as G
from fmcgm.causal.deterministic import Mechanism, counterfactual
from fmcgm.causal.evaluate import answer_query
from fmcgm.causal.probability import Statement
from fmcgm.causal.queries import Query
from fmcgm.errors import FMCGMError, ParseError
from fmcgm.language.story import parse_background, sentences
from tools.schemas import (
    ApplyDoArgs,
    CheckAcyclicityArgs,
    EstimateEffectArgs,
    GraphSpec,
    ProposeEdgesArgs,
    ToolError,
    ToolResult,
)


def to_graph(spec: GraphSpec) -> G.CausalGraph:
    return G.CausalGraph.build(spec.edges, nodes=spec.nodes, latent=spec.latent, bidirected=spec.bidirected)


def graph_data(g: G.CausalGraph) -> dict[str, Any]:
    return {"edges": [list(e) for e in g.edges], "latent": sorted(g.latent), "nodes": list(g.nodes),
            "bidirected": [list(e) for e in g.bidirected]}


def error_result(err: Exception) -> ToolResult:
    if isinstance(err, FMCGMError):
        return ToolResult(ok=False, summary=f"error: {err.message}", error=ToolError(**err.to_dict()))
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "arguments"
        return ToolResult(ok=False, summary=f"error: invalid argument {where}: {first['msg']}",
                          error=ToolError(code="invalid_arguments", message=f"{where}: {first['msg']}",
                                          hint="fix the argument to match the tool's schema"))
    return ToolResult(ok=False, summary=f"error: {err}",
                      error=ToolError(code="internal_error", message=str(err), hint="report this as a bug"))


def propose_edges(args: ProposeEdgesArgs) -> ToolResult:
    """Build a causal graph from explicit edges or from a structured description."""
    if args.edges:
        g = G.CausalGraph.build(args.edges, latent=args.latent)
    elif args.description:
        bg, rest = parse_background(sentences(args.description))
        if not bg.edges:
            raise ParseError("no causal relation found in the description",
                             "write sentences like 'A has a direct effect on B and C.' or pass explicit edges")
        g = G.CausalGraph.build(bg.edges, nodes=bg.names, latent=[*bg.latent, *args.latent])
    else:
        raise ParseError("propose_edges needs edges or a description", "pass edges=[[cause, effect], ...]")
    summary = f"graph with {len(g.nodes)} variables and {len(g.edges)} edges" + (
        f"; unobserved: {', '.join(sorted(g.latent))}" if g.latent else "")
    return ToolResult(ok=True, summary=summary, data={"graph": graph_data(g)})


def check_acyclicity(args: CheckAcyclicityArgs) -> ToolResult:
    """Check that the graph has no directed cycle; name the cycle when it has one."""
    acyclic, cycle = G.is_acyclic(args.graph.edges)
    if acyclic:
        return ToolResult(ok=True, summary="the graph is acyclic", data={"acyclic": True, "cycle": []})
    path = " -> ".join([*cycle, cycle[0]])
    return ToolResult(ok=True, summary=f"the graph has a directed cycle: {path}",
                      data={"acyclic": False, "cycle": cycle})


def apply_do(args: ApplyDoArgs) -> ToolResult:
    """Graph surgery for do(X = x): remove the edges into the intervened variables."""
    g = to_graph(args.graph)
    g.require(*args.intervention)
    h = G.do(g, args.intervention)
    removed = sorted(set(g.edges) - set(h.edges))
    what = ", ".join(f"{k}={v}" for k, v in args.intervention.items())
    return ToolResult(ok=True, summary=f"do({what}) removes {len(removed)} incoming edge(s)",
                      data={"graph": graph_data(h), "removed_edges": [list(e) for e in removed],
                            "intervention": args.intervention,
                            "descendants": sorted(G.descendants(g, args.intervention) - set(args.intervention))})


def estimate_effect(args: EstimateEffectArgs) -> ToolResult:
    """Identify the query on the graph and compute it exactly from the given probabilities."""
    g = to_graph(args.graph)
    q = args.query
    if q.kind == "det_counterfactual":
        return _det(g, args)
    query = Query(q.kind, q.outcome, q.treatment, q.treatment_value, q.control_value, q.outcome_value,
                  tuple(q.mediators), tuple(q.condition.items()), tuple(tuple(s) for s in q.adjustment_sets))
    stmts = [Statement.of(s.event, s.given, s.p) for s in args.statements]
    res = answer_query(g, query, stmts, args.claim)
    data = res.to_dict()
    if res.value is not None:
        val = f"{res.value:.4f}"
    elif res.bounds:
        val = f"in [{res.bounds[0]:.4f}, {res.bounds[1]:.4f}]"
    else:
        val = "n/a"
    summary = f"{query.describe()} = {val} via {res.method}" + (f"; answer: {res.answer}" if res.answer else "")
    return ToolResult(ok=True, summary=summary, data=data)


def _det(g: G.CausalGraph, args: EstimateEffectArgs) -> ToolResult:
    q = args.query
    if not q.treatment:
        raise ParseError("a counterfactual needs the intervened variable as treatment", "set query.treatment")
    mechs = [Mechanism(m.target, m.target_value, m.op, tuple(tuple(i) for i in m.inputs)) for m in args.mechanisms]
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
    summary = (f"{q.outcome}={q.outcome_value} under do({q.treatment}={q.treatment_value}): "
               + (answer if answer else f"not determined (holds in {res.probability:.0%} of consistent worlds)"))
    return ToolResult(ok=True, summary=summary, data={
        "kind": "det_counterfactual", "answer": answer, "value": res.probability, "determined": res.determined,
        "estimand": f"{q.outcome}_{{{q.treatment}={q.treatment_value}}} = {q.outcome_value} given {args.observations or '{}'}",
        "method": "abduction-action-prediction over deterministic mechanisms", "steps": res.steps,
        "exact": True, "assumptions": [] if res.determined else ["unobserved causes leave the outcome undetermined"]})


def safe(impl: Callable[[Any], ToolResult], schema: type[BaseModel]) -> Callable[..., dict]:
    """Validate arguments with the schema and turn any failure into an error result."""

    def run(**kwargs: Any) -> dict:
        try:
            return impl(schema.model_validate(kwargs)).model_dump()
        except (FMCGMError, ValidationError) as e:
            return error_result(e).model_dump()

    run.__name__ = impl.__name__
    run.__doc__ = impl.__doc__
    return run
