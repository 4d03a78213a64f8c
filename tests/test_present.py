"""The one presentation module: a finished run and a chat answer as the CLI and the terminal chat print them."""

from rich.console import Console

from fmcgm.app.answer import TurnAnswer
from fmcgm.app.present import NOT_COMPUTED, print_answer, print_run, step_summary, step_title

STATE = {
    "thread_id": "t1",
    "answer": {"outcome": "answered", "computed": True, "answer": "yes", "value": 0.25, "estimand": "P(y|do(x))",
               "text": "Yes. x raises y.", "graph": {"edges": [["x", "y"]]}},
    "trace": [
        {"node": "model", "tool": None, "result": {"tool_calls": ["propose_edges"], "content": ""}, "seconds": 0.1},
        {"node": "tools", "tool": "propose_edges", "result": {"ok": True, "summary": "1 edge"}, "seconds": 0.2},
        {"node": "commit", "result": {"graph": {"edges": [["x", "y"]]}}, "seconds": 0.0},
        {"node": "finalize", "result": {"outcome": "answered", "computed": True}, "seconds": 0.0},
    ],
}


def _printed(fn, *args) -> str:
    console = Console(record=True, width=200)
    fn(console, *args)
    return console.export_text()


def test_a_run_prints_answer_graph_estimand_and_every_step():
    out = _printed(print_run, STATE)
    for needle in ("Yes. x raises y.", "x → y", "P(y|do(x))", "0.2500", "steps (thread t1)",
                   "model → propose_edges", "tool propose_edges", "graph committed", "answered (computed: True)"):
        assert needle in out, needle


def test_a_run_without_a_computed_answer_is_labelled():
    out = _printed(print_run, {"answer": {"outcome": "declined", "text": "NOT COMPUTED (no tool)"}, "trace": []})
    assert "NOT COMPUTED — declined" in out


def test_the_chat_answer_and_its_not_computed_label():
    computed = TurnAnswer(payload={"answer": "no", "value": -0.1, "text": "No.", "estimand": "e"}, computed=True,
                          outcome="answered")
    out = _printed(print_answer, computed, "x → y")
    assert "answer: no  value -0.1000" in out and "estimand: e" in out and "x → y" in out
    out = _printed(print_answer, TurnAnswer(payload={"error": "boom"}, computed=False, outcome="error"))
    assert NOT_COMPUTED in out and "boom" in out


def test_step_texts():
    assert step_title("tools", "estimate_effect", {"ok": False}) == "tool estimate_effect (error)"
    assert step_summary("critique", {"findings": []}) == "no findings"
