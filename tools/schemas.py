"""Pydantic argument and result schemas of the causal tools (the boundary an LLM touches)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class GraphSpec(BaseModel):
    """A causal graph: directed edges [cause, effect] and the variables that are unobserved."""

    edges: list[tuple[str, str]] = Field(description="directed edges as [cause, effect] pairs")
    latent: list[str] = Field(default_factory=list, description="variables that are unobserved (latent)")
    nodes: list[str] = Field(default_factory=list, description="optional: variables with no edges")
    bidirected: list[tuple[str, str]] = Field(default_factory=list,
                                              description="pairs sharing an unobserved common cause")


class ProposeEdgesArgs(BaseModel):
    description: str | None = Field(
        default=None,
        description="structured text such as 'A has a direct effect on B and C. C is unobserved.'")
    edges: list[tuple[str, str]] | None = Field(default=None, description="explicit [cause, effect] pairs")
    latent: list[str] = Field(default_factory=list, description="unobserved variables")


class CheckAcyclicityArgs(BaseModel):
    graph: GraphSpec


class ApplyDoArgs(BaseModel):
    graph: GraphSpec
    intervention: dict[str, Any] = Field(description="variable -> value to set, e.g. {'smoking': 0}")


class ProbabilityStatement(BaseModel):
    """P(event | given) = p, with binary values 0/1, e.g. {'event': {'Y': 1}, 'given': {'X': 0}, 'p': 0.24}."""

    event: dict[str, int]
    given: dict[str, int] = Field(default_factory=dict)
    p: float = Field(description="a probability in [0, 1] (24% is 0.24)")


class MechanismSpec(BaseModel):
    """A deterministic rule: target takes target_value exactly when the AND/OR of the inputs holds."""

    target: str
    target_value: int = 1
    op: Literal["and", "or"] = "and"
    inputs: list[tuple[str, int]]


QueryKindLiteral = Literal["marginal", "conditional", "correlation", "exp_away", "ate", "ett", "nde", "nie",
                           "backadj", "collider_bias", "det_counterfactual"]
ClaimLiteral = Literal["positive", "negative", "more_likely", "less_likely", "method1_better",
                       "affects", "not_affects", "holds", "none"]


class QuerySpec(BaseModel):
    kind: QueryKindLiteral = Field(description=(
        "marginal P(Y); conditional P(Y|X=x1); correlation P(Y|X=x1)-P(Y|X=x0); exp_away the same within condition; ate "
        "P(Y|do(x1))-P(Y|do(x0)); ett effect on units with X=treatment_value of switching to control_value; "
        "nde / nie natural direct / indirect effect through mediators; backadj compare two adjustment sets; "
        "collider_bias whether X causally affects Y; det_counterfactual deterministic rules"))
    outcome: str
    treatment: str | None = None
    treatment_value: int = 1
    control_value: int = 0
    outcome_value: int = 1
    mediators: list[str] = Field(default_factory=list)
    condition: dict[str, int] = Field(default_factory=dict, description="exp_away: the selected group")
    adjustment_sets: list[list[str]] = Field(default_factory=list, description="backadj: [method 1 set, method 2 set]")


class EstimateEffectArgs(BaseModel):
    graph: GraphSpec
    query: QuerySpec
    statements: list[ProbabilityStatement] = Field(default_factory=list)
    claim: ClaimLiteral = Field(default="none", description="the yes/no claim to check, or none for a value")
    mechanisms: list[MechanismSpec] = Field(default_factory=list, description="det_counterfactual: the rules")
    observations: dict[str, int] = Field(default_factory=dict, description="det_counterfactual: what was observed")
    factual: dict[str, int] = Field(default_factory=dict,
                                    description="det_counterfactual: the factual value of the intervened variable")


class ToolError(BaseModel):
    code: str
    message: str
    hint: str = ""


class ToolResult(BaseModel):
    ok: bool
    summary: str
    data: dict[str, Any] = Field(default_factory=dict)
    error: ToolError | None = None
