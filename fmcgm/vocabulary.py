"""One shared vocabulary (as DoWhy's enums): query kinds, claims and turn outcomes.

``StrEnum`` members compare equal to their string values, so JSON from a model
("ate") and the enum (``QueryKind.ATE``) meet without conversion code.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class QueryKind(StrEnum):
    MARGINAL = "marginal"  # P(Y)
    CONDITIONAL = "conditional"  # P(Y | X = x1)
    CORRELATION = "correlation"  # P(Y | X = x1) - P(Y | X = x0)
    EXP_AWAY = "exp_away"  # the same contrast within a selected group (explaining away)
    ATE = "ate"  # P(Y | do(x1)) - P(Y | do(x0))
    ETT = "ett"  # effect of treatment on the treated
    NDE = "nde"  # natural direct effect
    NIE = "nie"  # natural indirect effect
    BACKADJ = "backadj"  # which of two adjustment sets is valid
    COLLIDER_BIAS = "collider_bias"  # does X causally affect Y (despite a selection-induced correlation)
    DET_COUNTERFACTUAL = "det_counterfactual"  # deterministic rules: abduction-action-prediction


class EstimandKind(StrEnum):
    """How an estimand identifies its query (as DoWhy's identification methods): the estimand's label is derived
    from this and its variable fields, never parsed back."""

    MARGINAL = "marginal"  # P(y) as given
    CONDITIONAL = "conditional"  # P(y | x) as given
    CONTRAST = "contrast"  # a conditional contrast (association, not causation)
    NO_CAUSAL_PATH = "no_causal_path"  # x is not an ancestor of y: do(x) leaves P(y) as it is
    BACKDOOR = "backdoor"  # adjustment for a back-door set (``adjustment_set``; empty: no confounding)
    FRONTDOOR = "frontdoor"  # the front-door formula through ``mediators``
    ID_ALGORITHM = "id_algorithm"  # Shpitser & Pearl's ID algorithm (leftover variables ``fixed``)
    IV = "iv"  # the Wald estimator of ``instrument``
    MEDIATION = "mediation"  # the mediation formula over ``mediators`` (adjusted for ``adjustment_set``)
    ALL_MEDIATED = "all_mediated"  # every causal path runs through the mediators: the natural direct effect is 0


class Claim(StrEnum):
    """The yes/no claim a question makes; ``none`` asks for a value."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    MORE_LIKELY = "more_likely"
    LESS_LIKELY = "less_likely"
    METHOD1_BETTER = "method1_better"
    AFFECTS = "affects"
    NOT_AFFECTS = "not_affects"
    HOLDS = "holds"
    NONE = "none"


class IntervalReading(StrEnum):
    """What the 95% intervals of an effect from data establish (``fmcgm.discovery.estimate.read_interval``)."""

    POSITIVE = "positive"  # every interval lies above zero
    NEGATIVE = "negative"  # every interval lies below zero
    NEGLIGIBLE = "negligible"  # every interval lies inside the no-effect margin: no effect of meaningful size
    UNDETERMINED = "undetermined"  # an interval covers zero and effects of meaningful size (or the signs disagree)


class Outcome(StrEnum):
    """How a turn ended (the CLI's exit code follows from it)."""

    RUNNING = "running"
    ANSWERED = "answered"  # computed by a tool of this turn
    NOT_IDENTIFIABLE = "not_identifiable"  # computed: the identification algorithm proved no estimand exists
    DECLINED = "declined"  # nothing computed: the agent says what is missing, or the model did not compute
    ERROR = "error"  # the run could not finish (backend unreachable, limits, internal failure)


# An outcome as the agent's state and its checkpoints hold it: the member's plain string (LangGraph reads an enum
# member in a checkpoint back as an "unregistered type"). Compare it with Outcome members, never with a literal.
OutcomeValue = Literal["running", "answered", "not_identifiable", "declined", "error"]
