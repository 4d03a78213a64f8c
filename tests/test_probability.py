import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_stated_marginal_that_contradicts_the_conditionals_is_refused():
    g = CausalGraph.build([("X", "Y")])
    given = [S({"X": 1}, {}, 0.5), S({"Y": 1}, {"X": 0}, 0.2), S({"Y": 1}, {"X": 1}, 0.3)]
    with pytest.raises(InconsistentInputError) as e:
        ProbabilityStore([*given, S({"Y": 1}, {}, 0.9)], g)
    msg = e.value.message
    # both numbers and every statement the implied value rests on
    assert "P(Y=1) is given as 90%" in msg and "imply 25%" in msg
    assert all(t in msg for t in ("P(X=1) = 50%", "P(Y=1 | X=0) = 20%", "P(Y=1 | X=1) = 30%"))
    with pytest.raises(InconsistentInputError):  # the answer is not computed from them either
        answer_query(g, Query("marginal", "Y"), [*given, S({"Y": 1}, {}, 0.9)], "more_likely")


def test_rounding_tolerance_follows_the_inputs():
    """Implied P(Y) = 25% from inputs each ±0.5 points: 26% can be rounding, 27% cannot."""
    g = CausalGraph.build([("X", "Y")])
    given = [S({"X": 1}, {}, 0.5), S({"Y": 1}, {"X": 0}, 0.2), S({"Y": 1}, {"X": 1}, 0.3)]
    assert ProbabilityStore([*given, S({"Y": 1}, {}, 0.26)], g).lookup((("Y", 1),), ()) == pytest.approx(0.26)
    with pytest.raises(InconsistentInputError):
        ProbabilityStore([*given, S({"Y": 1}, {}, 0.27)], g)


@pytest.mark.parametrize("extra, stated", [
    (S({"Y": 1}, {"X": 1}, 0.2), "P(Y=1 | X=1) is given as 20%"),  # implied 62% (adjusting for Z)
    (S({"X": 1}, {"Y": 1}, 0.95), "P(X=1 | Y=1) is given as 95%"),  # Bayes
    (S({"X": 1, "Y": 1}, {}, 0.05), "P(X=1, Y=1) is given as 5%"),  # a joint
])
def test_other_over_determined_quantities(extra, stated):
    g = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    cpts = [S({"Z": 1}, {}, 0.3), S({"X": 1}, {"Z": 0}, 0.2), S({"X": 1}, {"Z": 1}, 0.7),
            S({"Y": 1}, {"X": 0, "Z": 0}, 0.1), S({"Y": 1}, {"X": 0, "Z": 1}, 0.3),
            S({"Y": 1}, {"X": 1, "Z": 0}, 0.5), S({"Y": 1}, {"X": 1, "Z": 1}, 0.7)]
    with pytest.raises(InconsistentInputError) as e:
        ProbabilityStore([*cpts, extra], g)
    assert stated in e.value.message and "imply" in e.value.message


def test_contradiction_found_without_a_complete_model():
    """No number for the confounder Z: the term-by-term rules still see that P(Y) is over-determined."""
    g = CausalGraph.build([("Z", "X"), ("Z", "Y"), ("X", "Y")])
    st = [S({"X": 1}, {}, 0.5), S({"Y": 1}, {"X": 0}, 0.2), S({"Y": 1}, {"X": 1}, 0.3), S({"Y": 1}, {}, 0.9)]
    with pytest.raises(InconsistentInputError) as e:
        ProbabilityStore(st, g)
    assert "P(Y=1) is given as 90%" in e.value.message and "imply 25%" in e.value.message


@settings(max_examples=40, deadline=None)
@given(cpt=st.lists(st.integers(1, 99), min_size=7, max_size=7))
def test_numbers_rounded_from_one_model_are_never_refused(cpt):
    """Every quantity of one true model, each rounded to a whole percent: consistent up to rounding."""
    from fmcgm.causal.scm import FiniteSCM, response_variable

    p = [c / 100 for c in cpt]
    scm = FiniteSCM([response_variable("Z", [], p[:1]), response_variable("X", ["Z"], p[1:3]),
                     response_variable("Y", ["X", "Z"], p[3:7])])
    r = lambda v: round(v, 2)  # noqa: E731
    st_ = [S({"Z": 1}, {}, r(p[0]))]
    st_ += [S({"X": 1}, {"Z": z}, r(scm.prob({"X": 1}, {"Z": z}))) for z in (0, 1)]
    st_ += [S({"Y": 1}, {"X": x, "Z": z}, r(scm.prob({"Y": 1}, {"X": x, "Z": z}))) for x in (0, 1) for z in (0, 1)]
    st_ += [S({"Y": 1}, {}, r(scm.prob({"Y": 1}))), S({"X": 1}, {}, r(scm.prob({"X": 1}))),
            S({"Y": 1}, {"X": 1}, r(scm.prob({"Y": 1}, {"X": 1}))), S({"X": 1, "Y": 1}, {}, r(scm.prob({"X": 1, "Y": 1})))]
    ProbabilityStore(st_, scm.graph())


# -- the rewrite rules, one function each, tried from a table --------------------------------------------

def test_the_rules_are_one_function_each_with_its_identity():
    from fmcgm.causal.probability import RULES

    assert [r.__name__ for r in RULES] == ["event_fixed_by_condition", "complement", "graph_independence",
                                          "chain_rule", "bayes", "marginalisation", "total_probability"]
    for rule in RULES:
        identity = (rule.__doc__ or "").splitlines()[0]
        assert identity.startswith("P(") and "=" in identity, rule.__name__


def _rule(name):
    from fmcgm.causal import probability

    rule = getattr(probability, name)
    assert rule in probability.RULES
    return rule


def _table(values):
    """derive() that knows only ``values`` ({(event, given): p}) and records what was asked."""
    asked = []

    def derive(ev, gv):
        asked.append((ev, gv))
        return values.get((ev, gv))

    return derive, asked


X1, X0, Y1, Y0, Z1, Z0 = (("X", 1),), (("X", 0),), (("Y", 1),), (("Y", 0),), (("Z", 1),), (("Z", 0),)


@pytest.mark.parametrize("name, store, ev, gv, values, expected", [
    # P(x | x) = 1, P(x | x') = 0, P(x, y | x) = P(y | x)
    ("event_fixed_by_condition", ProbabilityStore([]), X1, X1, {}, 1.0),
    ("event_fixed_by_condition", ProbabilityStore([]), X1, X0, {}, 0.0),
    ("event_fixed_by_condition", ProbabilityStore([]), X1 + Y1, X1, {(Y1, X1): 0.25}, 0.25),
    # P(y | x) = 1 - P(y' | x)
    ("complement", ProbabilityStore([]), Y1, X1, {(Y0, X1): 0.25}, 0.75),
    # P(y | x, z) = P(y | x) when Y ⫫ Z | X
    ("graph_independence", ProbabilityStore([], CausalGraph.build([("Z", "X"), ("X", "Y")])), Y1, X1 + Z1,
     {(Y1, X1): 0.4}, 0.4),
    # P(x, y | z) = P(x | y, z) P(y | z)
    ("chain_rule", ProbabilityStore([]), X1 + Y1, Z1, {(X1, Y1 + Z1): 0.5, (Y1, Z1): 0.4}, 0.2),
    # P(y | x) = P(x, y) / P(x)
    ("bayes", ProbabilityStore([]), Y1, X1, {(X1 + Y1, ()): 0.2, (X1, ()): 0.4}, 0.5),
    # P(x) = Σ_y P(x, y), over a given joint
    ("marginalisation", ProbabilityStore([S({"X": 1, "Y": 1}, {}, 0.1), S({"X": 1, "Y": 0}, {}, 0.2)]), X1, (),
     {(X1 + Y1, ()): 0.1, (X1 + Y0, ()): 0.2}, 0.3),
    # P(y) = Σ_x P(y | x) P(x), over a given conditional
    ("total_probability", ProbabilityStore([S({"Y": 1}, {"X": 1}, 0.5), S({"Y": 1}, {"X": 0}, 0.1)]), Y1, (),
     {(Y1, X1): 0.5, (Y1, X0): 0.1, (X1, ()): 0.4, (X0, ()): 0.6}, 0.26),
])
def test_each_rule_derives_its_identity(name, store, ev, gv, values, expected):
    derive, _ = _table(values)
    assert _rule(name)(store, ev, gv, derive) == pytest.approx(expected)


def test_a_rule_that_does_not_apply_passes_to_the_next():
    derive, asked = _table({})
    store = ProbabilityStore([])
    assert _rule("complement")(store, X1 + Y1, (), derive) is None  # a joint event has no single complement
    assert _rule("bayes")(store, Y1, (), derive) is None  # nothing to condition on
    assert _rule("chain_rule")(store, Y1, X1, derive) is None  # a single event
    assert asked == []


def test_an_event_fixed_by_the_condition_settles_the_term():
    """P(x, y | x) when P(y | x) is not derivable: no later rule is tried (the old search's behaviour)."""
    from fmcgm.causal.probability import UNDERIVABLE

    derive, asked = _table({})
    assert _rule("event_fixed_by_condition")(ProbabilityStore([]), X1 + Y1, X1, derive) is UNDERIVABLE
    assert asked == [(Y1, X1)]


def test_bayes_refuses_a_joint_above_its_marginal():
    derive, _ = _table({(X1 + Y1, ()): 0.5, (X1, ()): 0.3})
    with pytest.raises(InconsistentInputError) as e:
        _rule("bayes")(ProbabilityStore([]), Y1, X1, derive)
    assert "more than P(X=1) = 30%" in e.value.message
