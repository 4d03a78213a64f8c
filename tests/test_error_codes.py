"""One enum of error codes, each saying whether the person asking can fix it; the agent's answer follows it:
an error the user can fix is a decline that says what to change (bad input when it is their data file),
never an "internal failure"."""

import ast
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage
from scripted import ScriptedModel, call

from agent.answer import Answer, turn_answer
from agent.configuration import Settings
from agent.graph import build_graph, run_question
from fmcgm.errors import ErrorCode
from fmcgm.vocabulary import Outcome
from tools.schemas import ToolResult

GRAPH = {"edges": [["x", "y"]]}
ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("fmcgm", "agent", "tools", "prompts")


def test_a_bad_csv_through_the_agent_is_declined_as_bad_input(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,high\n0,low\n1,high\n")
    model = ScriptedModel(replies=[
        call("estimate_from_data", {"graph": GRAPH, "treatment": "x", "outcome": "y", "data_path": str(bad)}),
        AIMessage(content="The data file could not be used."),
    ])
    ans = Answer.model_validate(run_question("Does x affect y?", app=build_graph(model=model, settings=Settings()))["answer"])
    assert ans.outcome == Outcome.DECLINED and ans.error_kind == "input", ans
    assert "non-numeric values in column 'y'" in (ans.error or "") and not ans.computed
    assert ans.exit_code == 2  # bad input, as `fmcgm ask --data bad.csv` says before any model call


def _failed(code: str) -> dict:
    result = ToolResult.failure(ErrorCode(code), f"failed with {code}", "a hint").model_dump()
    return {"turn_result": {"tool": "estimate_effect", "result": result}, "messages": []}


@pytest.mark.parametrize("code", [c for c in ErrorCode if c != ErrorCode.NOT_IDENTIFIABLE])
def test_the_decline_decision_follows_the_code(code):
    ans = turn_answer(_failed(code))
    assert ans.outcome == Outcome.DECLINED and not ans.computed
    expected = "input" if code.bad_input else None if code.user_fixable else "internal"
    assert ans.error_kind == expected


def test_not_identifiable_is_an_answer_not_an_error():
    ans = turn_answer(_failed(ErrorCode.NOT_IDENTIFIABLE))
    assert ans.outcome == Outcome.NOT_IDENTIFIABLE and ans.computed and ans.exit_code == 0


def test_a_users_data_and_numbers_are_theirs_to_fix():
    for code in ("invalid_data", "empty_cell", "missing_quantity", "invalid_probability", "cycle", "unparseable"):
        assert ErrorCode(code).user_fixable, code
    for code in ("internal_error", "tool_failed", "backend_unreachable", "context_overflow", "render_failed"):
        assert not ErrorCode(code).user_fixable, code
    assert [c for c in ErrorCode if c.bad_input] == [ErrorCode.INVALID_DATA, ErrorCode.INVALID_OUTPUT]
    assert all(c.user_fixable for c in ErrorCode if c.bad_input)


def test_every_error_class_carries_a_code_of_the_enum():
    """Read from the source, so a class in a module no test imports is checked too."""
    classes: dict[str, tuple[list[str], list[ast.expr | None], str]] = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases = [ast.unparse(b).split(".")[-1] for b in node.bases]
                    # the code a class names in its header (``code=ErrorCode.X``) or assigns in its body
                    codes = [k.value for k in node.keywords if k.arg == "code"]
                    for stmt in node.body:
                        targets = (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                                   if isinstance(stmt, ast.AnnAssign) else [])
                        if any(isinstance(t, ast.Name) and t.id == "code" for t in targets):
                            codes.append(stmt.value)  # type: ignore[union-attr]
                    classes[node.name] = (bases, codes, str(path.relative_to(ROOT)))
    errors, grew = {"FMCGMError"}, True
    while grew:
        more = {n for n, (bases, _, _) in classes.items() if set(bases) & errors} - errors
        errors, grew = errors | more, bool(more)
    assert {"DataError", "PositivityError", "RenderFailure", "BackendUnavailable", "CycleError"} <= errors
    bad = []
    for name in sorted(errors):
        for v in classes[name][1]:
            ok = isinstance(v, ast.Attribute) and isinstance(v.value, ast.Name) and v.value.id == "ErrorCode" \
                and v.attr in ErrorCode.__members__
            if not ok:
                bad.append(f"{classes[name][2]}: {name}.code = {ast.unparse(v) if v else None}")
    assert sum(len(classes[n][1]) for n in errors) >= 20  # the scan sees the codes (in headers and bodies)
    assert not bad, "error classes whose code is not a member of ErrorCode:\n" + "\n".join(bad)


def _enums(value, where="state") -> list[str]:
    """Enum members anywhere in a value (LangGraph's checkpoint reads them back as "unregistered types")."""
    from enum import Enum

    from pydantic import BaseModel

    if isinstance(value, Enum):
        return [f"{where}: {value!r}"]
    if isinstance(value, BaseModel):
        return _enums(dict(value), where)
    if isinstance(value, dict):
        return [e for k, v in value.items() for e in _enums(k, where) + _enums(v, f"{where}.{k}")]
    if isinstance(value, (list, tuple)):
        return [e for i, v in enumerate(value) for e in _enums(v, f"{where}[{i}]")]
    return []


def test_codes_reach_the_checkpoint_as_plain_text():
    """A critique finding carries the error's code: stored as its string, not as an ErrorCode member."""
    args = {"graph": GRAPH, "query": {"kind": "ate", "outcome": "y", "treatment": "x"},
            "statements": [{"event": {"y": 1}, "given": {"x": 1}, "p": 1.7}]}
    model = ScriptedModel(replies=[call("estimate_effect", args), AIMessage(content="done")])
    state = run_question("q", app=build_graph(model=model))
    assert state["critiques"][0]["findings"][0]["code"] == ErrorCode.INVALID_PROBABILITY
    assert not _enums(state)
    from test_agent import Q

    answered = run_question(Q)  # the offline reasoner: its tool calls and results, the answer
    assert answered["answer"]["computed"] and not _enums(answered)
