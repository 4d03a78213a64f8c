import numpy as np
import pytest

from fmcgm.causal.expr import Sum, evaluate, free_symbols, to_sympy
from fmcgm.causal.graph import CausalGraph
from fmcgm.causal.id_algorithm import identify
from fmcgm.causal.identification import backdoor_sets, do_estimands, frontdoor_sets, instruments
from fmcgm.causal.scm import FiniteSCM, response_variable
from fmcgm.errors import NotIdentifiableError
from fmcgm.vocabulary import EstimandKind


def rv(rng, name, parents):
    return response_variable(name, parents, list(rng.uniform(0.05, 0.95, 2 ** len(parents))))


def scm_of(rng, spec, latent=()):
    return FiniteSCM([rv(rng, n, ps) for n, ps in spec], latent=frozenset(latent))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_front_door_by_id_matches_enumeration(seed):
    rng = np.random.default_rng(seed)
    scm = scm_of(rng, [("U", []), ("X", ["U"]), ("M", ["X"]), ("Y", ["M", "U"])], ["U"])
    e = identify(scm.graph(), ["Y"], ["X"])
    for x in (0, 1):
        assert evaluate(e, scm.joint_lookup(), env={"X": x, "Y": 1}) == pytest.approx(scm.prob({"Y": 1}, do={"X": x}))


@pytest.mark.parametrize("seed", [0, 1])
def test_napkin_matches_enumeration(seed):
    rng = np.random.default_rng(seed)
    scm = scm_of(rng, [("U1", []), ("U2", []), ("W", ["U1", "U2"]), ("Z", ["W"]), ("X", ["Z", "U1"]),
                       ("Y", ["X", "U2"])], ["U1", "U2"])
    e = identify(scm.graph(), ["Y"], ["X"])
    assert free_symbols(e) == {"X", "Y"}
    for x in (0, 1):
        got = evaluate(e, scm.joint_lookup(), env={"X": x, "Y": 1})
        assert got == pytest.approx(scm.prob({"Y": 1}, do={"X": x}))
        assert abs(got - scm.prob({"Y": 1}, {"X": x})) > 1e-6  # confounded: not the plain conditional


def test_m_bias_needs_no_adjustment():
    g = CausalGraph.build([("U1", "M"), ("U2", "M"), ("U1", "X"), ("U2", "Y"), ("X", "Y")], latent=["U1", "U2"])
    assert identify(g, ["Y"], ["X"]).text() == "P(Y=Y | X=X)"
    assert backdoor_sets(g, "X", "Y")[0] == set()
    assert {"M"} not in backdoor_sets(g, "X", "Y")  # conditioning on the collider opens the path


def test_bow_arc_is_not_identifiable_and_says_why():
    g = CausalGraph.build([("X", "Y")], bidirected=[("X", "Y")])
    with pytest.raises(NotIdentifiableError) as e:
        identify(g, ["Y"], ["X"])
    assert "hedge" in e.value.message and "not identifiable" in e.value.message
    with pytest.raises(NotIdentifiableError):
        do_estimands(g, "Y", "X", 1)


def test_criteria_on_textbook_graphs():
    fd = CausalGraph.build([("U", "X"), ("U", "Y"), ("X", "M"), ("M", "Y")], latent=["U"])
    assert frontdoor_sets(fd, "X", "Y") == [{"M"}]
    iv = CausalGraph.build([("Z", "X"), ("U", "X"), ("U", "Y"), ("X", "Y")], latent=["U"])
    assert instruments(iv, "X", "Y") == ["Z"]
    conf = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    assert backdoor_sets(conf, "X", "Y") == [{"Z"}]


def test_sympy_form_expands_sums():
    g = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    est = do_estimands(g, "Y", "X", 1)[0]
    expr = to_sympy(est.expr)
    names = sorted(str(s) for s in expr.free_symbols)
    assert names == ["P(Y=1 | X=1, Z=0)", "P(Y=1 | X=1, Z=1)", "P(Z=0)", "P(Z=1)"]


def test_expanded_form_writes_every_sum_out_over_concrete_terms():
    """The answer's expanded estimand (no computer algebra on the answer path): the same concrete terms as the
    symbolic form and, evaluated, the same number as the estimand with its sums."""
    from fmcgm.causal.expr import Prob, expand

    g = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    est = do_estimands(g, "Y", "X", 1)[0]
    wide = expand(est.expr, {"Z": (0, 1, 2)})
    assert wide.text() == ("P(Y=1 | X=1, Z=0) · P(Z=0) + P(Y=1 | X=1, Z=1) · P(Z=1) + P(Y=1 | X=1, Z=2) · P(Z=2)")
    flat = expand(est.expr)
    assert sorted(str(s) for s in to_sympy(est.expr).free_symbols) == sorted(
        {t.text() for t in _terms(flat)})
    rng = np.random.default_rng(3)
    table: dict = {}

    def lookup(ev, gv):
        return table.setdefault((ev, gv), float(rng.uniform(0.1, 0.9)))

    assert evaluate(flat, lookup) == pytest.approx(evaluate(est.expr, lookup))
    # a symbol bound by an inner sum is the inner sum's, not the outer one's
    inner = Prob((("Y", "y"),), (("X", "y"),))
    nested = expand(Sum((("X", "y"),), Sum((("Y", "y"),), inner)))
    assert "y" not in nested.text() and nested.text().count("P(") == 4


def _terms(e):
    from fmcgm.causal.expr import Prob, _children

    return [e] if isinstance(e, Prob) else [t for c in _children(e) for t in _terms(c)]


def test_backadj_with_the_outcome_or_treatment_in_the_set_is_invalid_not_an_error():
    from fmcgm.causal.queries import Query, backadj_answer

    g = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    ok, why = backadj_answer(g, Query("backadj", "Y", "X", adjustment_sets=(("Z",), ("Y",))))
    assert ok and "not a valid back-door set" in why
    ok, why = backadj_answer(g, Query("backadj", "Y", "X", adjustment_sets=(("X",), ("Z",))))
    assert not ok and "minimal valid" in why


def test_hedge_met_in_a_sub_query_names_the_query_asked():
    g = CausalGraph.build([("X", "W"), ("W", "Y")], bidirected=[("X", "W")])
    with pytest.raises(NotIdentifiableError) as e:
        identify(g, ["Y"], ["X"])
    assert e.value.message.startswith("P(Y | do(X)) is not identifiable") and "hedge for {W, X}" in e.value.message


def test_napkin_leftover_fixed_at_a_value_with_support():
    import pandas as pd

    from fmcgm.discovery.estimate import effect_by_identification
    from fmcgm.discovery.table import from_frame

    rng = np.random.default_rng(5)
    n = 20000
    u1, u2 = rng.random(n) < 0.5, rng.random(n) < 0.5
    w = rng.random(n) < 0.2 + 0.3 * u1 + 0.3 * u2
    z = np.ones(n, dtype=bool)  # Z is never 0: fixing it at 0, as the estimand did, has no support
    x = rng.random(n) < 0.1 + 0.3 * z + 0.4 * u1
    y = rng.random(n) < 0.1 + 0.5 * x + 0.3 * u2
    t = from_frame(pd.DataFrame({"W": w, "Z": z, "X": x, "Y": y}).astype(int))
    g = CausalGraph.build([("W", "Z"), ("Z", "X"), ("X", "Y")], bidirected=[("W", "X"), ("W", "Y")])
    r = effect_by_identification(t, g, "X", "Y")
    truth = 0.5  # y's probability rises by 0.5 with x, whatever u2
    assert r.identified is not None and r.identified.kind == EstimandKind.ID_ALGORITHM
    assert dict(r.identified.fixed) == {"Z": 1} and r.ci[0] <= truth <= r.ci[1]
