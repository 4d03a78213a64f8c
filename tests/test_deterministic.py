import pytest

from fmcgm.causal.deterministic import Mechanism, counterfactual
from fmcgm.causal.graph import CausalGraph
from fmcgm.causal.scm import AdditiveSCM
from fmcgm.errors import InconsistentInputError

G = CausalGraph.build([("season", "rain"), ("season", "sprinkler"), ("rain", "wet"), ("sprinkler", "wet")])
RULES = [Mechanism("sprinkler", 1, "and", (("season", 1),)), Mechanism("rain", 0, "and", (("season", 1),)),
         Mechanism("wet", 1, "or", (("rain", 1), ("sprinkler", 1)))]


def test_counterfactual_is_determined_by_observed_root():
    r = counterfactual(G, RULES, {"season": 1}, {"sprinkler": 0}, ("wet", 1))
    assert r.determined and r.probability == 0.0
    r = counterfactual(G, RULES, {"season": 0}, {"sprinkler": 0}, ("wet", 1))
    assert r.determined and r.probability == 1.0  # not summer: it rains


def test_unobserved_root_leaves_it_open():
    r = counterfactual(G, RULES, {}, {"sprinkler": 0}, ("wet", 1))
    assert not r.determined and r.probability == 0.5


def test_abduction_from_a_downstream_observation():
    # seeing no rain tells us it is summer
    r = counterfactual(G, RULES, {"rain": 0}, {"sprinkler": 0}, ("wet", 1))
    assert r.determined and r.probability == 0.0


def test_contradictory_observation():
    with pytest.raises(InconsistentInputError):
        counterfactual(G, RULES, {"season": 1, "rain": 1}, {"sprinkler": 0}, ("wet", 1))


def test_additive_noise_counterfactual_is_exact():
    scm = AdditiveSCM(["a", "b"], {"a": (), "b": ("a",)}, {"a": lambda p: 0.0, "b": lambda p: 2 * p["a"]})
    cf = scm.counterfactual({"a": 1.0, "b": 2.5}, {"a": 3.0})
    assert cf["b"] == pytest.approx(6.5)  # noise 0.5 carried into the counterfactual world
