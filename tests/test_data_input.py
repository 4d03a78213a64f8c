"""Input checks before anything runs: non-finite values, constant columns, repeated or case-only-different names,
tables too wide for the time budget — each named in the message, exit code 2 from the command line; and the
agent's declines say what is wrong in the user's terms, never the agent's own instructions."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from agent.configuration import Settings
from agent.graph import build_graph, run_question
from fmcgm.cli import app
from fmcgm.discovery.table import DataError, check_size, load_table
from tests.data_models import four_cycle_frame

runner = CliRunner()
INTERNAL = ("propose_edges", "discover_graph", "estimate_from_data", "estimate_effect", "request_clarification",
            "call the tool", "the tool again", "tool's schema")


def _csv(tmp_path, text: str, name: str = "obs.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def _ask(tmp_path, path, question: str):
    return runner.invoke(app, ["ask", "--data", str(path), "--trace-db", str(tmp_path / "t.sqlite"), question])


@pytest.mark.parametrize("cell,col", [("inf", "health"), ("-inf", "exercise"), ("Infinity", "health")])
def test_non_finite_values_are_named_with_column_and_line(tmp_path, cell, col):
    rows = ["exercise,health"] + [f"{i % 2},{(i // 2) % 2 + 0.5 * (i % 3)}" for i in range(40)]
    k = 7 if col == "health" else 12
    a, b = rows[k].split(",")
    rows[k] = f"{a},{cell}" if col == "health" else f"{cell},{b}"
    p = _csv(tmp_path, "\n".join(rows) + "\n")
    with pytest.raises(DataError, match=rf"line {k + 1}: column '{col}' has a non-finite value"):
        load_table(p)
    r = _ask(tmp_path, p, "Does exercise affect health?")
    assert r.exit_code == 2 and f"column '{col}'" in r.output and "non-finite" in r.output


@pytest.mark.parametrize("name,value", [("exercise", 1), ("dose", 0)])
def test_a_constant_column_is_named_instead_of_answering_no_effect(tmp_path, name, value):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({name: np.full(300, value), "health": rng.integers(0, 2, 300), "age": rng.integers(0, 2, 300)})
    p = tmp_path / "obs.csv"
    df.to_csv(p, index=False)
    with pytest.raises(DataError, match=rf"column '{name}' \(always {value}\) never varies"):
        load_table(p)
    r = _ask(tmp_path, p, f"Does {name} affect health?")
    assert r.exit_code == 2 and f"'{name}' (always {value}) never varies" in r.output


@pytest.mark.parametrize("header,needle", [
    ("rain,sprinkler,rain", "repeats the column name(s) 'rain'"),
    ("Rain,rain,wet", "differ only in case or spacing: 'Rain' and 'rain'"),
    ("wet_pavement,Wet Pavement,rain", "'wet_pavement' and 'Wet Pavement'"),
])
def test_repeated_and_case_only_different_names_are_named(tmp_path, header, needle):
    p = _csv(tmp_path, header + "\n" + "\n".join(f"{i % 2},{(i // 2) % 2},{(i // 4) % 2}" for i in range(40)) + "\n")
    with pytest.raises(DataError) as e:
        load_table(p)
    assert needle in str(e.value)
    r = _ask(tmp_path, p, "Does rain affect wet?")
    assert r.exit_code == 2 and needle in " ".join(r.output.split())


def _wide(tmp_path, k: int, n: int) -> tuple:
    rng = np.random.default_rng(1)
    x = rng.integers(0, 2, (n, k))
    x[:, 5] = np.where(rng.random(n) < 0.8, x[:, 0], 1 - x[:, 0])  # c5 follows the treatment c0
    df = pd.DataFrame(x, columns=[f"c{i}" for i in range(k)])
    p = tmp_path / "wide.csv"
    df.to_csv(p, index=False)
    return p, df


def test_a_table_too_wide_for_the_budget_is_refused_with_a_subset(tmp_path):
    p, _ = _wide(tmp_path, 200, 1000)
    t0 = time.monotonic()
    r = _ask(tmp_path, p, "Does c0 affect c1?")
    assert time.monotonic() - t0 < 20
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and "200 columns" in out and "at most" in out
    subset = out.split("most correlated with them: ")[1].split(",")
    assert [s.strip() for s in subset[:3]] == ["c0", "c1", "c5"]  # the question's columns, then the closest one
    with pytest.raises(DataError, match="the treatment, the outcome"):
        check_size(load_table(p))  # without the question's columns: the subset is described


def test_declines_never_show_the_agent_s_instructions(tmp_path):
    path = tmp_path / "cycle.csv"
    four_cycle_frame(5000, 0, ("north", "east", "south", "west")).to_csv(path, index=False)
    s = Settings(data_path=str(path), trace_db=str(tmp_path / "t.sqlite"))
    ans = run_question("Does north affect south?", settings=s, app=build_graph(settings=s))["answer"]
    assert ans["outcome"] == "declined"
    assert "north ⫫ south" in ans["text"] or "east ⫫ west" in ans["text"]
    assert "would settle it" in ans["text"] or "what would settle" in ans["text"]
    for phrase in INTERNAL:
        assert phrase not in ans["text"] and phrase not in (ans["error"] or "")


def test_a_rejected_stated_graph_declines_without_instructions(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.random(3000) < 0.5
    y = rng.random(3000) < np.where(x, 0.8, 0.2)
    path = tmp_path / "obs.csv"
    pd.DataFrame({"X": x, "Y": y, "Z": rng.random(3000) < 0.5}).astype(int).to_csv(path, index=False)
    s = Settings(data_path=str(path), trace_db=str(tmp_path / "t.sqlite"))
    q = ("X has a direct effect on Z. Z has a direct effect on Y. The overall probability of X is 50%. For those with X, "
         "the probability of Z is 50%. For those without X, the probability of Z is 50%. For those with Z, the "
         "probability of Y is 50%. For those without Z, the probability of Y is 50%. Does X affect Y?")
    ans = run_question(q, settings=s, app=build_graph(settings=s))["answer"]
    assert ans["outcome"] == "declined" and "X ⫫ Y" in ans["text"]
    for phrase in INTERNAL:
        assert phrase not in ans["text"]


def test_progress_is_shown_while_a_data_question_runs(tmp_path):
    from tests.data_models import sprinkler_frame

    p = tmp_path / "s.csv"
    sprinkler_frame(3000, 2).to_csv(p, index=False)
    r = _ask(tmp_path, p, "Does wet pavement cause rain?")
    assert r.exit_code == 0
    assert "adjacency search" in r.output and "random halves of the rows" in r.output and " s] " in r.output


def test_a_short_budget_is_kept_and_what_it_cut_is_said(tmp_path):
    rng = np.random.default_rng(3)
    n, k = 100_000, 10  # 30,000 rows fitted a 2 s budget once the tests and the bootstrap got faster: nothing was cut
    x = np.zeros((n, k), dtype=int)
    for j in range(k):  # a chain with side branches: every column depends on an earlier one
        src = x[:, j - 1 - (j % 3 == 0)] if j > 1 else rng.integers(0, 2, n)
        x[:, j] = np.where(rng.random(n) < 0.75, src, rng.integers(0, 2, n))
    path = tmp_path / "chain.csv"
    pd.DataFrame(x, columns=[f"v{j}" for j in range(k)]).to_csv(path, index=False)
    s = Settings(data_path=str(path), trace_db=str(tmp_path / "t.sqlite"), data_budget_s=1)
    t0 = time.monotonic()
    ans = run_question("Does v3 affect v9?", settings=s, app=build_graph(settings=s))["answer"]
    assert time.monotonic() - t0 < 1 + 10  # the budget, plus reading the file and building the agent
    said = ans["text"].replace("time budget:", "Time budget:")
    assert "Time budget:" in said and ("the time budget allowed" in said or "the time budget stopped" in said)


def test_malformed_tool_arguments_decline_without_the_instruction_to_the_model(tmp_path):
    from langchain_core.messages import AIMessage

    from tests.scripted import ScriptedModel, call

    est = {"graph": {"edges": [["x", "y"]]}, "query": {"kind": "ate", "treatment": "x", "outcome": "y"},
           "statements": [{"event": {"y": 1}, "given": {"x": 1}, "p": "high"}]}
    model = ScriptedModel(replies=[call("estimate_effect", est), AIMessage(content="I cannot.")])
    s = Settings(trace_db=str(tmp_path / "t.sqlite"))
    ans = run_question("q?", settings=s, app=build_graph(model=model, settings=s))["answer"]
    assert ans["outcome"] == "declined"
    for phrase in INTERNAL:
        assert phrase not in ans["text"]
