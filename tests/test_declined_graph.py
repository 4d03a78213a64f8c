"""A declined turn still shows the graph the reader understood, marked not committed (issue 18): in the answer
contract (what `fmcgm ask --json` prints), in `fmcgm ask`'s text and in the step the app draws its graph from."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from fmcgm.app.turns import graph_of
from fmcgm.cli import app
from tests.test_reader_adversarial import ask

# the graph and one number are read; the second group's number is missing, so the turn declines
DECLINED = "Smoking causes cancer. Tar is unobserved. Among smokers, 30% get cancer. Does smoking increase cancer?"
runner = CliRunner()


def test_the_answer_contract_carries_the_understood_graph_uncommitted():
    a = ask(DECLINED)
    assert a["outcome"] == "declined" and not a["computed"], a
    assert a["graph"] is not None and ["smoking", "cancer"] in [list(e) for e in a["graph"]["edges"]], a["graph"]
    assert a["graph_committed"] is False


def test_an_answered_turn_says_its_graph_was_committed():
    a = ask("Smoking causes cancer. Among smokers, 30% get cancer; among non-smokers, 10%. Does smoking increase "
            "cancer?")
    assert a["outcome"] == "answered" and a["graph_committed"] is True, a


def test_ask_prints_the_understood_graph_as_not_committed():
    r = runner.invoke(app, ["ask", DECLINED])
    assert r.exit_code == 1, r.output
    line = next(ln for ln in r.output.splitlines() if ln.startswith("graph"))
    assert "not committed" in line and "smoking → cancer" in line, r.output
    j = json.loads(runner.invoke(app, ["ask", "--json", DECLINED]).stdout)
    assert j["graph_committed"] is False and j["graph"]["edges"], j


def test_the_app_draws_the_graph_of_a_clarification_step():
    step = {"tool": "request_clarification", "args": {"missing": ["x"], "graph": {"edges": [["a", "b"]]}},
            "result": {"ok": True, "data": {"missing": ["x"], "graph": {"edges": [["a", "b"]], "latent": []}}}}
    assert graph_of(step)["edges"] == [["a", "b"]]
