"""A collider read from an independence the test had no power to show is not a basis for a verdict.

The class (fresh seeds 1802 and 1803 of ``fmcgm eval data-answers``, n = 2,000): b causes a and c, and a causes c
directly with an effect that cancels the path through b, so a ⫫ c holds in the data.  PC reads the collider
a -> b <- c, orients a -> b backwards in every resample (the halves share the cancellation), and "the effect of a
on b" was answered confidently although the truth is 0.  Two data sets cannot be told apart here — a true
collider gives the same independence — so the collider is trusted only when the test that accepted a ⫫ c could
have seen a dependence of meaningful size (power at :data:`fmcgm.discovery.pc.MEANINGFUL`); otherwise the
verdict is "not determined", naming the edge and the independence it rests on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from fmcgm.discovery.estimate import effect_from_data, graph_stability
from fmcgm.discovery.pipeline import discover
from fmcgm.discovery.table import from_frame


def _cancelling(n: int, seed: int = 3) -> pd.DataFrame:
    """b -> a, b -> c, a -> c with cov(a, c) = 0.6·0.6 − 0.36 = 0: a cancellation the data cannot reveal."""
    rng = np.random.default_rng(seed)
    b = rng.standard_normal(n)
    a = 0.6 * b + 0.8 * rng.standard_normal(n)
    c = 0.6 * b - 0.36 * a + 0.7 * rng.standard_normal(n)
    return pd.DataFrame({"a": a, "b": b, "c": c})


def _collider(n: int, seed: int = 3) -> pd.DataFrame:
    """a -> b <- c: the reading PC gives the cancelling model, here true."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n)
    c = rng.standard_normal(n)
    b = 0.5 * a + 0.5 * c + 0.7 * rng.standard_normal(n)
    return pd.DataFrame({"a": a, "b": b, "c": c})


def _answer(frame: pd.DataFrame, x: str, y: str):
    t = from_frame(frame)
    d = discover(t)
    st = graph_stability(t, d.graph, x, resamples=12)
    return d.graph, effect_from_data(t, d.graph, x, y, stability=st)


def test_a_cancelling_triangle_is_not_answered_from_its_false_collider():
    g, r = _answer(_cancelling(2000), "a", "b")
    assert ("a", "b") in g.directed() and ("c", "b") in g.directed()  # the search still reads the collider ...
    assert r.answer is None, r.verdict  # ... but the verdict does not rest on it (truth: no effect of a on b)
    assert "a ⫫ c" in r.verdict and "a -> b" in r.verdict, r.verdict  # names the independence and the edge


def test_the_collider_is_flagged_with_the_power_it_lacked():
    g, _ = _answer(_cancelling(2000), "a", "b")
    (f,) = g.unshown
    assert f.triple == ["a", "b", "c"] and f.rests_on == ["a -> b", "c -> b"]
    assert f.power < 0.8 and f.rows == 2000


def test_a_true_collider_with_enough_rows_still_gives_a_verdict():
    _, r = _answer(_collider(20_000), "a", "b")
    assert r.answer == "yes" and r.ci is not None and r.ci[0] > 0.4, r.verdict
    g, r = _answer(_collider(20_000), "b", "a")  # no effect of b on a: a is b's cause by the collider
    assert r.answer == "no", r.verdict
    assert not g.unshown


def test_a_true_collider_with_too_few_rows_is_not_determined_either():
    # the same independence, the same data shape as the cancelling case: at 2,000 rows nothing tells them apart
    _, r = _answer(_collider(2000), "b", "a")
    assert r.answer is None, r.verdict


@pytest.mark.parametrize(("n", "given", "shown"), [(1000, 0, False), (2000, 0, False), (4600, 0, False),
                                                   (5000, 0, True), (5000, 400, False), (20_000, 3, True)])
def test_power_against_one_direct_effect_of_meaningful_size(n, given, shown):
    from fmcgm.discovery.pc import MEANINGFUL, REQUIRED_POWER, power

    assert (power(n, MEANINGFUL, 0.01, given_size=given) >= REQUIRED_POWER) is shown


def test_power_is_the_chance_the_z_test_rejects():
    from fmcgm.discovery.pc import power

    rng = np.random.default_rng(0)
    n, r = 3000, 0.05
    cov = [[1, r], [r, 1]]
    from scipy.stats import norm

    hits = 0
    for _ in range(400):
        x = rng.multivariate_normal([0, 0], cov, n)
        z = np.arctanh(np.corrcoef(x.T)[0, 1]) * np.sqrt(n - 3)
        hits += 2 * norm.sf(abs(z)) < 0.01
    assert abs(hits / 400 - power(n, r, 0.01)) < 0.08


def test_the_textbook_sprinkler_keeps_its_collider():
    # the collider sprinkler -> wet <- rain is read from sprinkler ⫫ rain | season at 5,000 rows: enough power
    from tests.data_models import sprinkler_frame

    g = discover(from_frame(sprinkler_frame(5000, 0))).graph
    assert ("sprinkler", "wet_pavement") in g.directed() and ("rain", "wet_pavement") in g.directed()
    assert not g.unshown
