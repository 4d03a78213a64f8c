import json

from test_agent import Q
from typer.testing import CliRunner

from fmcgm.cli import app

runner = CliRunner()


def test_ask_json():
    r = runner.invoke(app, ["ask", "--json", Q])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["answer"] == "yes" and out["graph"]["latent"] == [] and out["error"] is None


def test_ask_prints_steps():
    r = runner.invoke(app, ["ask", Q])
    assert r.exit_code == 0
    for needle in ("propose_edges", "check_acyclicity", "estimate_effect", "estimand"):
        assert needle in r.output


def test_eval_cladder_json(tmp_path, dev_rows):
    from conftest import DEV

    out = tmp_path / "r.json"
    r = runner.invoke(app, ["eval", "cladder", "--data", str(DEV), "--limit", "20", "--json", str(out)])
    assert r.exit_code == 0, r.output
    rep = json.loads(out.read_text())
    assert rep["n"] == 20 and set(rep) >= {"n", "correct", "accuracy", "seconds", "by_query_type", "by_rung", "results"}
    assert set(rep["results"][0]) == {"question_id", "predicted", "answer", "correct", "computed", "estimand", "value",
                                      "error"}
    assert rep["computed"] == sum(r["computed"] for r in rep["results"]) and rep["computed_rate"] == rep["computed"] / 20
    assert all(r["computed"] for r in rep["results"] if r["correct"])  # the offline reasoner answers by the tools
    assert "o1-preview" in r.output


def test_eval_missing_file(tmp_path):
    r = runner.invoke(app, ["eval", "cladder", "--data", str(tmp_path / "none.jsonl")])
    assert r.exit_code == 2 and "no data file" in r.output
