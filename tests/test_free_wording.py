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
    ("yes", {"answer": "yes", "value": 0.2}, "right"),
    ("yes", {"answer": "no", "value": -0.2}, "wrong"),
    ("yes", {"answer": None, "value": None, "text": "I need a graph"}, "declined"),
    ("ask", {"answer": "yes", "value": 0.5}, "wrong"),
    ("ask", {"answer": None, "value": None}, "right"),
    ("not_identifiable", {"answer": None, "value": None, "error": "not identifiable: a hedge"}, "right"),
    (None, {"answer": None, "value": 0.21}, "wrong"),
])
def test_grading(expect, answer, verdict):
    assert grade({"expect": expect, "value": 0.2}, answer) == verdict
