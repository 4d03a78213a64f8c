"""Error types of the causal core, and the one list of error codes.

Every error carries a machine-readable ``code`` (an :class:`ErrorCode`) and a ``hint`` that tells the
caller (a person or a model repairing a tool call) what to do next.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """Every code an error or a failed tool result carries (a ``StrEnum``: members equal their strings in JSON).

    ``user_fixable``: the person asking can fix it (a number, a graph, a question, a data file), so the agent
    declines and says what to change; any other code is the run's own failure, reported as internal.
    ``bad_input``: the user's input file itself is unusable as given (exit code 2, as for bad usage)."""

    ERROR = "error"  # an FMCGMError with no more specific code
    INVALID_GRAPH = "invalid_graph"
    CYCLE = "cycle"
    UNKNOWN_VARIABLE = "unknown_variable"
    INVALID_PROBABILITY = "invalid_probability"
    MISSING_QUANTITY = "missing_quantity"
    INCONSISTENT_INPUT = "inconsistent_input"
    NOT_IDENTIFIABLE = "not_identifiable"  # an honest answer, not a failure
    CONTEXT_OVERFLOW = "context_overflow"
    UNPARSEABLE = "unparseable"
    INVALID_QUERY = "invalid_query"
    INVALID_DATA = "invalid_data"  # the attached data file cannot be used
    EMPTY_CELL = "empty_cell"  # the data have no rows for a combination the estimate needs
    RENDER_FAILED = "render_failed"
    BACKEND_UNREACHABLE = "backend_unreachable"
    CRITIQUE_REJECTED = "critique_rejected"  # a tool result: the critique refused the graph
    INVALID_ARGUMENTS = "invalid_arguments"  # a tool result: the arguments do not fit the tool's schema
    UNKNOWN_TOOL = "unknown_tool"
    TOOL_FAILED = "tool_failed"
    INTERNAL_ERROR = "internal_error"
    INVALID_OUTPUT = "invalid_output"  # an output path the run cannot write (a folder, the input file, no parent)
    NOT_A_SCENE = "not_a_scene"  # a picture given as the factual scene does not show the world
    INVALID_CONFIG = "invalid_config"  # a settings file that cannot be read as settings
    UNKNOWN_TRACE = "unknown_trace"  # a stored trace (store, thread, checkpoint) asked for is not there

    @property
    def user_fixable(self) -> bool:
        return self in _USER_FIXABLE

    @property
    def bad_input(self) -> bool:
        return self in _BAD_INPUT


_USER_FIXABLE = frozenset({
    ErrorCode.INVALID_GRAPH, ErrorCode.CYCLE, ErrorCode.UNKNOWN_VARIABLE, ErrorCode.INVALID_PROBABILITY,
    ErrorCode.MISSING_QUANTITY, ErrorCode.INCONSISTENT_INPUT, ErrorCode.UNPARSEABLE, ErrorCode.INVALID_QUERY,
    ErrorCode.INVALID_DATA, ErrorCode.EMPTY_CELL, ErrorCode.CRITIQUE_REJECTED, ErrorCode.INVALID_ARGUMENTS,
    ErrorCode.INVALID_OUTPUT, ErrorCode.NOT_A_SCENE, ErrorCode.INVALID_CONFIG, ErrorCode.UNKNOWN_TRACE,
})
_BAD_INPUT = frozenset({ErrorCode.INVALID_DATA, ErrorCode.INVALID_OUTPUT})


class FMCGMError(Exception):
    """Base class: a precise, actionable failure of the causal core."""

    code: ErrorCode = ErrorCode.ERROR

    def __init_subclass__(cls, code: ErrorCode | None = None, **kwargs: object) -> None:
        """A subclass names its code in its header (``class ParseError(FMCGMError, code=...)``); without one it
        keeps its parent's."""
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def to_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "message": self.message, "hint": self.hint}

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class GraphError(FMCGMError, code=ErrorCode.INVALID_GRAPH):
    """A graph that is not a causal graph here (malformed edges, a latent the question needs observed ...)."""


def cycle_message(cycle: list[str]) -> str:
    """The one wording of a directed cycle, used by the graph, the tools and the critique."""
    return "the graph has a directed cycle: " + " -> ".join([*cycle, cycle[0]])


class CycleError(GraphError, code=ErrorCode.CYCLE):
    """A directed cycle: a causal graph must be acyclic (names the cycle)."""

    def __init__(self, cycle: list[str]) -> None:
        super().__init__(
            cycle_message(cycle),
            "remove or reverse one edge of the cycle; causal graphs must be acyclic",
        )
        self.cycle = cycle


class UnknownVariableError(FMCGMError, code=ErrorCode.UNKNOWN_VARIABLE):
    """A name the graph does not have (lists the ones it has)."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"unknown variable {name!r}",
            "known variables: " + ", ".join(sorted(known)) if known else "the graph has no variables",
        )
        self.name = name


class ProbabilityError(FMCGMError, code=ErrorCode.INVALID_PROBABILITY):
    """A number that is not a probability, or probabilities that cannot all hold."""


class MissingQuantityError(FMCGMError, code=ErrorCode.MISSING_QUANTITY):
    """Every estimand needs a probability the question does not give or imply (names it)."""

    def __init__(self, terms: list[str], context: str = "") -> None:
        what = ", ".join(terms)
        super().__init__(
            f"missing quantity {what}" + (f" needed for {context}" if context else ""),
            "give this probability (or enough to derive it) in the question",
        )
        self.terms = terms


class InconsistentInputError(FMCGMError, code=ErrorCode.INCONSISTENT_INPUT):
    """Inputs that contradict each other or leave a needed cell without support."""


class AssumptionViolation(InconsistentInputError):
    """The given numbers contradict an assumption the chosen estimand rests on (an instrument's, for one)."""


class NotIdentifiableError(FMCGMError, code=ErrorCode.NOT_IDENTIFIABLE):
    """Proved: no estimand exists for the query on this graph (an honest answer, not a failure)."""


class ContextOverflowError(FMCGMError, code=ErrorCode.CONTEXT_OVERFLOW):
    """A model's context window cannot hold the conversation: a limit of the run, not a broken backend."""


class ParseError(FMCGMError, code=ErrorCode.UNPARSEABLE):
    """Text or a file that cannot be read as what it should be (names the sentence, file or line)."""


class QueryError(FMCGMError, code=ErrorCode.INVALID_QUERY):
    """A query this graph cannot be asked (no treatment, the same variable twice, missing mediators ...)."""


class ConfigError(FMCGMError, code=ErrorCode.INVALID_CONFIG):
    """A settings file that cannot be read as settings."""


class InternalError(FMCGMError, code=ErrorCode.INTERNAL_ERROR):
    """A broken invariant of the code itself (a bug), never the user's input."""
