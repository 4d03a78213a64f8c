"""Error types of the causal core.

Every error carries a machine-readable ``code`` and a ``hint`` that tells the
caller (a person or a model repairing a tool call) what to do next.
"""

from __future__ import annotations


class FMCGMError(Exception):
    """Base class: a precise, actionable failure of the causal core."""

    code = "error"

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "hint": self.hint}

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class GraphError(FMCGMError):
    code = "invalid_graph"


def cycle_message(cycle: list[str]) -> str:
    """The one wording of a directed cycle, used by the graph, the tools and the critique."""
    return "the graph has a directed cycle: " + " -> ".join([*cycle, cycle[0]])


class CycleError(GraphError):
    code = "cycle"

    def __init__(self, cycle: list[str]) -> None:
        super().__init__(
            cycle_message(cycle),
            "remove or reverse one edge of the cycle; causal graphs must be acyclic",
        )
        self.cycle = cycle


class UnknownVariableError(FMCGMError):
    code = "unknown_variable"

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"unknown variable {name!r}",
            "known variables: " + ", ".join(sorted(known)) if known else "the graph has no variables",
        )
        self.name = name


class ProbabilityError(FMCGMError):
    code = "invalid_probability"


class MissingQuantityError(FMCGMError):
    code = "missing_quantity"

    def __init__(self, terms: list[str], context: str = "") -> None:
        what = ", ".join(terms)
        super().__init__(
            f"missing quantity {what}" + (f" needed for {context}" if context else ""),
            "give this probability (or enough to derive it) in the question",
        )
        self.terms = terms


class InconsistentInputError(FMCGMError):
    code = "inconsistent_input"


class AssumptionViolation(InconsistentInputError):
    """The given numbers contradict an assumption the chosen estimand rests on (an instrument's, for one)."""


class NotIdentifiableError(FMCGMError):
    code = "not_identifiable"


class ContextOverflowError(FMCGMError):
    """A model's context window cannot hold the conversation: a limit of the run, not a broken backend."""

    code = "context_overflow"


class ParseError(FMCGMError):
    code = "unparseable"


class QueryError(FMCGMError):
    code = "invalid_query"
