"""Hand-written questions in free wording and formal notation (tests/data/free_wording.jsonl).

Expectations were computed by hand before the reader was tuned. Declining is allowed; a confident
wrong answer never is. The accuracy floor guards against regressions (evals/free_wording_eval.py
prints the full table).
"""

import pytest

from evals.free_wording_eval import grade, load_rows, run, summary

ROWS = load_rows()
MIN_ACCURACY = 0.85  # measured 58/64 = 0.906 (evals/free_wording_eval.py)


@pytest.fixture(scope="module")
def results():
    return {r["id"]: r for r in run(ROWS, progress=False)}


def test_the_set_is_large_and_varied():
    assert len(ROWS) >= 60
    assert {r["expect"] for r in ROWS} >= {"yes", "no", None, "ask", "not_identifiable"}


@pytest.mark.parametrize("row", ROWS, ids=[r["id"] for r in ROWS])
def test_never_a_confident_wrong_answer(results, row):
    r = results[row["id"]]
    assert r["grade"] != "wrong", r


def test_accuracy_floor(results):
    s = summary(list(results.values()))
    assert s["accuracy"] >= MIN_ACCURACY, s


@pytest.mark.parametrize("expect,answer,verdict", [
    ("yes", {"answer": "yes", "value": 0.2, "computed": True, "outcome": "answered"}, "right"),
    ("yes", {"answer": "no", "value": -0.2, "computed": True, "outcome": "answered"}, "wrong"),
    ("yes", {"answer": None, "value": None, "text": "I need a graph", "outcome": "declined"}, "declined"),
    ("ask", {"answer": "yes", "value": 0.5, "computed": True, "outcome": "answered"}, "wrong"),
    ("ask", {"answer": None, "value": None, "outcome": "declined", "missing": ["P(Y=1 | X=0)"]}, "right"),
    ("ask", {"answer": None, "value": None, "outcome": "declined", "missing": []}, "declined"),  # says nothing missing
    # an internal failure is never a right "ask" (issue 19: it used to count as one)
    ("ask", {"answer": None, "value": None, "outcome": "error", "error": "ZeroDivisionError"}, "error"),
    ("not_identifiable", {"answer": None, "value": None, "outcome": "not_identifiable"}, "right"),
    ("not_identifiable", {"answer": None, "value": None, "outcome": "declined", "text": "not identifiable?"}, "declined"),
    ("yes", {"answer": None, "value": None, "outcome": "not_identifiable"}, "wrong"),  # a computed claim, and false
    (None, {"answer": None, "value": 0.21, "computed": True, "outcome": "answered"}, "wrong"),
])
def test_grading(expect, answer, verdict):
    assert grade({"expect": expect, "value": 0.2}, answer) == verdict


def test_grading_compares_the_size_of_a_phrased_effect():
    row = {"expect": "yes", "value_abs": 0.2}
    assert grade(row, {"answer": "yes", "value": -0.2, "computed": True, "outcome": "answered"}) == "right"
    assert grade(row, {"answer": "yes", "value": 0.3, "computed": True, "outcome": "answered"}) == "wrong"
