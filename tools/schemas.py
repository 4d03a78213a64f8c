"""The typed boundary: pydantic models for everything that crosses reasoner, critique, tools, CLI and traces.

Each core object is converted in exactly one place: ``GraphSpec.to_graph`` /
``GraphSpec.of``, ``QuerySpec.to_query`` / ``QuerySpec.of``,
``ProbabilityStatement.to_statement`` / ``ProbabilityStatement.of``.
Variables are binary (0/1) in the causal engine, so values outside {0, 1} are
rejected here with a message naming the field, not read as a complement.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from langchain_core.tools import InjectedToolArg
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    SerializerFunctionWrapHandler,
    StrictBool,
    Tag,
    field_validator,
    model_serializer,
)

from fmcgm.causal import graph as G
from fmcgm.causal.deterministic import Mechanism
from fmcgm.causal.probability import Statement
from fmcgm.causal.queries import Query
from fmcgm.errors import ErrorCode
from fmcgm.vocabulary import Claim, EstimandKind, QueryKind

# 0 or 1; booleans are accepted as the same values (a model may send true/false)
Binary = Annotated[int, Field(ge=0, le=1, description="a binary value: 0 or 1")]
# a finite number for interventions on continuous concepts (world images); NaN and inf cannot be set
Finite = Annotated[float, Field(allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    """What a user or a model sends (tool arguments and the objects they nest): a key the schema does not name is
    refused with its name, so a misspelt or invented argument is repaired instead of silently dropped."""

    model_config = ConfigDict(extra="forbid")


def _binary_map(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: (int(x) if isinstance(x, bool) else x) for k, x in v.items()}
    return v


class GraphSpec(_Strict):
    """A causal graph: directed edges [cause, effect] and the variables that are unobserved."""

    edges: list[tuple[Name, Name]] = Field(description="directed edges as [cause, effect] pairs")
    latent: list[Name] = Field(default_factory=list, description="variables that are unobserved (latent)")
    nodes: list[Name] = Field(default_factory=list, description="optional: variables with no edges")
    bidirected: list[tuple[Name, Name]] = Field(default_factory=list,
                                                description="pairs sharing an unobserved common cause")

    def to_graph(self) -> G.CausalGraph:
        """The validated core graph (raises a precise GraphError: cycle, self-loop, unknown latent…)."""
        return G.CausalGraph.build(self.edges, nodes=self.nodes, latent=self.latent, bidirected=self.bidirected)

    @classmethod
    def of(cls, g: G.CausalGraph) -> GraphSpec:
        return cls(edges=[tuple(e) for e in g.edges], latent=sorted(g.latent), nodes=list(g.nodes),
                   bidirected=[tuple(e) for e in g.bidirected])

    @classmethod
    def known(cls, graph: dict[str, Any]) -> GraphSpec:
        """The causal graph in one of the agent's own graph dicts, which may carry more (a discovered class's open
        edges, their sources): its GraphSpec fields only. For internal dicts, never for what a model sends."""
        return cls.model_validate({k: v for k, v in graph.items() if k in cls.model_fields})

    def summary(self) -> str:
        return ", ".join(f"{a} -> {b}" for a, b in self.edges) + (
            f" (unobserved: {', '.join(self.latent)})" if self.latent else "")


class ProposeEdgesArgs(_Strict):
    description: str | None = Field(
        default=None, max_length=100_000,
        description="structured text such as 'A has a direct effect on B and C. C is unobserved.'")
    edges: list[tuple[Name, Name]] | None = Field(default=None, description="explicit [cause, effect] pairs")
    latent: list[Name] = Field(default_factory=list, description="unobserved variables")


class CheckAcyclicityArgs(_Strict):
    graph: GraphSpec


class ApplyDoArgs(_Strict):
    graph: GraphSpec
    intervention: dict[Name, int | Finite] = Field(
        min_length=1, description="variable -> value to set, e.g. {'smoking': 0} (finite numbers only)")


class ProbabilityStatement(_Strict):
    """P(event | given) = p, with binary values 0/1, e.g. {'event': {'Y': 1}, 'given': {'X': 0}, 'p': 0.24}."""

    event: dict[Name, Binary] = Field(min_length=1)
    given: dict[Name, Binary] = Field(default_factory=dict)
    # the range [0, 1] is checked by the engine, whose message names the statement and the number
    p: Finite = Field(description="a probability in [0, 1] (24% is 0.24)")

    _bools = field_validator("event", "given", mode="before")(_binary_map)

    def to_statement(self) -> Statement:
        return Statement.of(self.event, self.given, self.p)

    @classmethod
    def of(cls, s: Statement) -> ProbabilityStatement:
        return cls(event=dict(s.event), given=dict(s.given), p=s.p)


class MechanismSpec(_Strict):
    """A deterministic rule: target takes target_value exactly when the AND/OR of the inputs holds."""

    target: Name
    target_value: Binary = 1
    op: Literal["and", "or"] = "and"
    inputs: list[tuple[Name, Binary]] = Field(min_length=1)

    def to_mechanism(self) -> Mechanism:
        return Mechanism(self.target, self.target_value, self.op, tuple((v, x) for v, x in self.inputs))

    @classmethod
    def of(cls, m: Mechanism) -> MechanismSpec:
        return cls(target=m.target, target_value=m.target_value, op=m.op, inputs=[tuple(i) for i in m.inputs])


class QuerySpec(_Strict):
    kind: QueryKind = Field(description=(
        "marginal P(Y); conditional P(Y|X=x1); correlation P(Y|X=x1)-P(Y|X=x0); exp_away the same within condition; ate "
        "P(Y|do(x1))-P(Y|do(x0)); ett effect on units with X=treatment_value of switching to control_value; "
        "nde / nie natural direct / indirect effect through mediators; backadj compare two adjustment sets; "
        "collider_bias whether X causally affects Y; det_counterfactual deterministic rules"))
    outcome: Name
    treatment: Name | None = None
    treatment_value: Binary = 1
    control_value: Binary = 0
    outcome_value: Binary = 1
    mediators: list[Name] = Field(default_factory=list)
    condition: dict[Name, Binary] = Field(default_factory=dict, description="exp_away: the selected group")
    adjustment_sets: list[list[Name]] = Field(default_factory=list,
                                              description="backadj: [method 1 set, method 2 set]")

    _bools = field_validator("condition", mode="before")(_binary_map)

    @field_validator("treatment_value", "control_value", "outcome_value", mode="before")
    @classmethod
    def _bool_value(cls, v: Any) -> Any:
        return int(v) if isinstance(v, bool) else v

    def to_query(self) -> Query:
        return Query(self.kind, self.outcome, self.treatment, self.treatment_value, self.control_value,
                     self.outcome_value, tuple(self.mediators), tuple(self.condition.items()),
                     tuple(tuple(s) for s in self.adjustment_sets))

    @classmethod
    def of(cls, q: Query) -> QuerySpec:
        return cls(kind=q.kind, outcome=q.outcome, treatment=q.treatment, treatment_value=q.treatment_value,
                   control_value=q.control_value, outcome_value=q.outcome_value, mediators=list(q.mediators),
                   condition=dict(q.condition), adjustment_sets=[list(s) for s in q.adjustment_sets])


class InjectedState(InjectedToolArg):
    """An argument the agent fills in from a key of the turn's state, never the model: LangGraph's ``InjectedState``
    (the same class: an ``InjectedToolArg`` naming a state key), declared here because importing
    ``langgraph.prebuilt`` imports LangChain's chat models, seconds of start-up the offline path never pays
    (tests/test_startup.py).  LangChain leaves every InjectedToolArg field out of the schema a model is shown."""

    def __init__(self, field: str) -> None:
        self.field = field


CommittedGraph = InjectedState("committed_graph")  # the graph frozen after the critique


class EstimateEffectArgs(_Strict):
    graph: Annotated[GraphSpec, CommittedGraph]
    query: QuerySpec
    statements: list[ProbabilityStatement] = Field(default_factory=list)
    claim: Claim = Field(default=Claim.NONE, description="the yes/no claim to check, or none for a value")
    mechanisms: list[MechanismSpec] = Field(default_factory=list, description="det_counterfactual: the rules")
    observations: dict[Name, Binary] = Field(default_factory=dict, description="det_counterfactual: what was observed")
    factual: dict[Name, Binary] = Field(default_factory=dict,
                                        description="det_counterfactual: the factual value of the intervened variable")
    corrections: list[Annotated[str, Field(max_length=300)]] = Field(
        default_factory=list, max_length=20,
        description="numbers a later turn corrected, said with the answer (e.g. 'P(cancer=1 | smoking=0): 0.1 -> 0.25')")
    approximations: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=20,
        description="numbers the question calls approximate ('about 30%'): used as stated, and the answer says so")
    assumptions: list[Annotated[str, Field(max_length=400)]] = Field(
        default_factory=list, max_length=10,
        description="what the reading assumed that the text did not say (e.g. a graph read from the numbers' groups)")

    _bools = field_validator("observations", "factual", mode="before")(_binary_map)


class RequestClarificationArgs(_Strict):
    """What the agent understood and what it needs from the user before it can compute an answer."""

    understood: str = Field(default="", max_length=4000, description="what was understood, in one or two sentences")
    unreadable: list[str] = Field(default_factory=list, description="sentences of the question that could not be read")
    missing: list[str] = Field(default_factory=list,
                               description="what is needed: a causal graph, a probability, a variable …")
    example: str = Field(default="", max_length=2000, description="an example of how the user can say it")
    graph: GraphSpec | None = Field(default=None, description="the causal graph understood so far (not committed)")


class ToolError(BaseModel):  # what the tools send back: read leniently
    code: str
    message: str
    hint: str = ""  # what the user can do: shown to the user
    for_model: str = ""  # what the agent's model should do next: never shown to the user


class Payload(BaseModel):
    """What a successful tool returns, typed by what it is: consumers match on the class, never on which keys a dict
    happens to carry.  Each payload declares the fields its consumers read and keeps the rest as it was sent
    (``extra="allow"``); it serialises to exactly the keys it was given, so the JSON a tool emits is unchanged."""

    model_config = ConfigDict(extra="allow")
    tag: ClassVar[str]

    @model_serializer(mode="wrap")
    def _as_sent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out = handler(self)
        kept = self.model_fields_set | set(self.model_extra or {})
        return {k: v for k, v in out.items() if k in kept}


class Identification(BaseModel):
    """How the estimand used identifies the query (DoWhy's shape): read these fields, never the method's wording."""

    kind: EstimandKind
    target: QueryKind
    adjustment_set: list[str] = Field(default_factory=list)
    mediators: list[str] = Field(default_factory=list)
    instrument: str | None = None
    fixed: dict[str, int] = Field(default_factory=dict)


class EffectData(Payload):
    """estimate_effect: a query computed on a graph from stated probabilities (a deterministic counterfactual too)."""

    tag = "effect"
    kind: QueryKind
    answer: Literal["yes", "no"] | None = None
    value: float | None = None
    bounds: list[float] | None = None
    estimand: str | None = None
    method: str = ""
    identification: Identification | None = None  # None for a structural query or a deterministic counterfactual
    assumptions: list[str] = Field(default_factory=list)
    corrections: list[str] = Field(default_factory=list)


class DataEffectData(Payload):
    """estimate_from_data: an effect estimated from observations under every graph the discovered class allows."""

    tag = "data_effect"
    kind: Literal["ate_from_data"] = "ate_from_data"
    answer: Literal["yes", "no"] | None = None
    value: float | None = None
    ci: list[float] | None = None
    range: list[float] = Field(default_factory=list)
    estimand: str = ""
    method: str = ""
    verdict: str = ""
    assumptions: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    rests_on: list[str] = Field(default_factory=list)
    budget: list[str] = Field(default_factory=list)
    margin: str = ""  # "no effect" means no effect beyond this (fmcgm.discovery.estimate.no_effect_margin)
    rows_to_settle: int | None = None  # not determined: roughly this many rows would settle it


class IndependenceData(Payload):
    """infer_from_independences: a verdict over a Markov equivalence class, with its derivation."""

    tag = "independence"
    kind: Literal["independence_inference"] = "independence_inference"
    answer: Literal["yes", "no"]
    implied: bool
    estimand: str = ""
    method: str = ""
    assumptions: list[str] = Field(default_factory=list)
    derivation: list[str] = Field(default_factory=list)


class ImageData(Payload):
    """render_image: a counterfactual image, checked against the SCM (``ok``), with the paths of its PNGs."""

    tag = "image"
    paths: dict[str, str]
    counterfactual_values: dict[str, float] | None = None
    estimand: str | None = None
    method: str | None = None
    assumptions: list[str] = Field(default_factory=list)


class ClarificationData(Payload):
    """request_clarification: what was understood and what the user is asked for."""

    tag = "clarification"
    understood: str = ""
    unreadable: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    example: str = ""
    graph: dict[str, Any] | None = None


class GraphData(Payload):
    """propose_edges, apply_do, discover_graph: a graph (a discovered class carries its search's keys too)."""

    tag = "graph"
    graph: dict[str, Any]


class AcyclicityData(Payload):
    """check_acyclicity: whether the graph is acyclic, and the cycle when it is not."""

    tag = "acyclicity"
    acyclic: bool
    cycle: list[str] = Field(default_factory=list)


class FindingsData(Payload):
    """The critique's rejection sent back as a tool result: its findings."""

    tag = "findings"
    findings: list[dict[str, Any]]


class NoData(Payload):
    """A failed call: nothing but the error."""

    tag = "none"


_KIND_TAGS = {"ate_from_data": DataEffectData.tag, "independence_inference": IndependenceData.tag}
_KEY_TAGS = ((ImageData, "paths"), (ClarificationData, "missing"), (ClarificationData, "unreadable"),
             (FindingsData, "findings"), (AcyclicityData, "acyclic"), (GraphData, "graph"))


def payload_tag(v: Any) -> str:
    """The payload type of a tool result's data.  A typed payload says its own; JSON read back from a message, a
    trace or the state is recognised here, once, by its kind or its defining key."""
    if isinstance(v, Payload):
        return v.tag
    if not isinstance(v, dict):
        return NoData.tag
    if "kind" in v:
        return _KIND_TAGS.get(str(v["kind"]), EffectData.tag)
    return next((cls.tag for cls, key in _KEY_TAGS if key in v), NoData.tag)


ToolData = Annotated[
    Annotated[EffectData, Tag(EffectData.tag)] | Annotated[DataEffectData, Tag(DataEffectData.tag)]
    | Annotated[IndependenceData, Tag(IndependenceData.tag)] | Annotated[ImageData, Tag(ImageData.tag)]
    | Annotated[ClarificationData, Tag(ClarificationData.tag)] | Annotated[GraphData, Tag(GraphData.tag)]
    | Annotated[AcyclicityData, Tag(AcyclicityData.tag)] | Annotated[FindingsData, Tag(FindingsData.tag)]
    | Annotated[NoData, Tag(NoData.tag)],
    Discriminator(payload_tag)]
AnswerData = EffectData | DataEffectData | IndependenceData | ImageData  # what an answering tool's success carries


class ToolResult(BaseModel):
    ok: StrictBool
    summary: str
    data: ToolData = Field(default_factory=NoData)
    error: ToolError | None = None

    @classmethod
    def failure(cls, code: ErrorCode, message: str, hint: str = "", for_model: str = "") -> ToolResult:
        return cls(ok=False, summary=f"error: {message}",
                   error=ToolError(code=code, message=message, hint=hint, for_model=for_model))

    @classmethod
    def read(cls, result: ToolResult | dict[str, Any] | None) -> ToolResult:
        """A tool result as it was stored (a dict in a message, the state or a trace), typed."""
        if isinstance(result, ToolResult):
            return result
        return cls.model_validate(result or {"ok": False, "summary": "no tool result"})
