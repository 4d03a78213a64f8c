"""Every error the product raises carries a code of the enum: no bare ``FMCGMError(...)`` (its code says
nothing, and an answer reports it as an internal failure even when the user can fix it)."""

import ast
from pathlib import Path

import pytest

from fmcgm.errors import ErrorCode, FMCGMError

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("fmcgm", "agent", "tools", "prompts")
PENDING: dict[str, int] = {}  # files allowed some bare raises for now: none left


def _bare_raises() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                        and ast.unparse(node.exc.func).split(".")[-1] == "FMCGMError":
                    found.setdefault(str(path.relative_to(ROOT)), []).append(node.lineno)
    return found


def test_no_bare_fmcgm_error_is_raised():
    found = _bare_raises()
    bad = {p: lines for p, lines in found.items() if len(lines) > PENDING.get(p, 0)}
    assert not bad, "raise an error class with a code instead:\n" + "\n".join(f"{p}: lines {v}" for p, v in bad.items())


def test_an_output_folder_outside_the_root_is_the_users_to_fix(tmp_path):
    from fmcgm.vision.render import safe_out_dir

    with pytest.raises(FMCGMError) as e:
        safe_out_dir("../elsewhere", tmp_path)
    assert e.value.code == ErrorCode.INVALID_OUTPUT and e.value.code.user_fixable


def test_bounds_that_allow_an_effect_and_none_are_not_identifiable():
    from fmcgm.causal.evaluate import QueryResult, _decide
    from fmcgm.causal.queries import Query
    from fmcgm.vocabulary import Claim, QueryKind

    res = QueryResult(Query(QueryKind.ATE, "y", "x"), bounds=(-0.2, 0.3))
    with pytest.raises(FMCGMError) as e:
        _decide(res, Claim.AFFECTS)
    assert e.value.code == ErrorCode.NOT_IDENTIFIABLE


def test_a_broken_config_file_is_the_users_to_fix(tmp_path):
    from agent.configuration import read_config_file

    with pytest.raises(FMCGMError) as e:
        read_config_file(tmp_path / "missing.toml")
    assert e.value.code == ErrorCode.INVALID_CONFIG and e.value.code.user_fixable


def test_a_thread_that_is_not_stored_is_named(tmp_path):
    from agent.traces import open_store

    with pytest.raises(FMCGMError) as e:
        open_store(str(tmp_path / "none.sqlite"), create=False)
    assert e.value.code == ErrorCode.UNKNOWN_TRACE


def test_estimates_from_data_fail_with_codes_the_answer_can_report():
    """A PAG mark at the treatment is an honest 'not identifiable', a column that is not 0/1 is the data file's to
    fix; both were bare FMCGMErrors before, reported as the run's internal failure."""
    import numpy as np
    import pandas as pd

    from fmcgm.causal.graph import CausalGraph
    from fmcgm.discovery.estimate import effect_by_identification, effect_from_data
    from fmcgm.discovery.pdag import DiscoveredGraph, Edge
    from fmcgm.discovery.table import from_frame

    rng = np.random.default_rng(0)
    t = from_frame(pd.DataFrame({"x": rng.integers(0, 2, 200), "y": rng.integers(0, 3, 200)}))
    pag = DiscoveredGraph(nodes=["x", "y"], method="fci", edges=[Edge(a="x", b="y", mark="o->")])
    with pytest.raises(FMCGMError) as e:
        effect_from_data(t, pag, "x", "y")
    assert e.value.code == ErrorCode.NOT_IDENTIFIABLE
    g = CausalGraph.build([("u", "x"), ("u", "y"), ("x", "y")], latent=["u"])
    with pytest.raises(FMCGMError) as e:
        effect_by_identification(t, g, "x", "y")
    assert e.value.code == ErrorCode.INVALID_DATA and e.value.code.user_fixable and "0/1" in e.value.message
