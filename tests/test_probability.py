import pytest

from fmcgm.causal.evaluate import answer_query
from fmcgm.causal.graph import CausalGraph
from fmcgm.causal.probability import ProbabilityStore, Statement
from fmcgm.causal.queries import Query
from fmcgm.errors import InconsistentInputError, MissingQuantityError, NotIdentifiableError, ProbabilityError


def S(ev, gv, p):
    return Statement.of(ev, gv, p)


def test_out_of_range_probability_is_named():
    with pytest.raises(ProbabilityError) as e:
        ProbabilityStore([S({"Y": 1}, {"X": 0}, 1.3)])
    assert "P(Y=1 | X=0) = 1.3 is outside [0, 1]" in e.value.message


def test_complements_that_do_not_sum_to_one():
    with pytest.raises(InconsistentInputError) as e:
        ProbabilityStore([S({"Y": 1}, {"X": 0}, 0.7), S({"Y": 0}, {"X": 0}, 0.6)])
    assert "sum to 1.300" in e.value.message


def test_joint_above_marginal_and_conflicting_duplicates():
    with pytest.raises(InconsistentInputError):
        ProbabilityStore([S({"X": 1}, {}, 0.3), S({"X": 1, "Y": 1}, {}, 0.5)])
    with pytest.raises(InconsistentInputError):
        ProbabilityStore([S({"X": 1}, {}, 0.3), S({"X": 1}, {}, 0.4)])


def test_derivations():
    g = CausalGraph.build([("Z", "X"), ("X", "Y"), ("V", "Y")])
    store = ProbabilityStore([
        S({"X": 1}, {}, 0.4), S({"X": 0, "Y": 1}, {}, 0.12), S({"X": 1, "Y": 1}, {}, 0.2),
        S({"V": 1}, {}, 0.3),
    ], g)
    assert store.lookup((("Y", 1),), (("X", 1),)) == pytest.approx(0.5)  # Bayes
    assert store.lookup((("Y", 0),), (("X", 0),)) == pytest.approx(0.8)  # Bayes + complement
    assert store.lookup((("V", 0),), (("X", 1),)) == pytest.approx(0.7)  # V independent of X in the graph
    assert store.lookup((("Y", 1),), ()) == pytest.approx(0.32)  # total probability over X
    with pytest.raises(MissingQuantityError) as e:
        store.lookup((("Z", 1),), ())
    assert "P(Z=1)" in e.value.message


def test_missing_quantity_names_every_term():
    g = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    with pytest.raises(MissingQuantityError) as e:
        answer_query(g, Query("ate", "Y", "X"), [S({"Y": 1}, {"X": 1}, 0.5), S({"Y": 1}, {"X": 0}, 0.3)])
    assert "P(Z=" in e.value.message or "P(Y=1 | X=1, Z=" in e.value.message


def test_non_identifiable_query_says_why():
    g = CausalGraph.build([("U", "X"), ("U", "Y"), ("X", "Y")], latent=["U"])
    with pytest.raises(NotIdentifiableError) as e:
        answer_query(g, Query("ate", "Y", "X"), [S({"Y": 1}, {"X": 1}, 0.5), S({"Y": 1}, {"X": 0}, 0.3)])
    assert "not identifiable" in e.value.message and e.value.hint


def test_ett_sign_from_bounds_when_weights_missing():
    g = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    st = [S({"Y": 1}, {"X": 0, "Z": 0}, 0.1), S({"Y": 1}, {"X": 1, "Z": 0}, 0.3),
          S({"Y": 1}, {"X": 0, "Z": 1}, 0.5), S({"Y": 1}, {"X": 1, "Z": 1}, 0.9), S({"Z": 1}, {}, 0.4)]
    res = answer_query(g, Query("ett", "Y", "X", 1, 0), st, "negative")
    assert res.bounds == (pytest.approx(-0.4), pytest.approx(-0.2))
    assert res.answer == "yes"  # every stratum effect is negative: the sign is exact


def test_tiny_effects_count_as_no_effect():
    g = CausalGraph.build([("X", "Y")])
    st = [S({"Y": 1}, {"X": 1}, 0.503), S({"Y": 1}, {"X": 0}, 0.5)]
    assert answer_query(g, Query("ate", "Y", "X"), st, "positive").answer == "no"
    assert answer_query(g, Query("ate", "Y", "X"), st, "negative").answer == "no"


def test_conditional_query_from_joints():
    g = CausalGraph.build([("X", "Y")])
    st = [S({"X": 1}, {}, 0.4), S({"X": 1, "Y": 1}, {}, 0.1)]
    res = answer_query(g, Query("conditional", "Y", "X", 1), st, "less_likely")
    assert res.value == pytest.approx(0.25) and res.answer == "yes"
