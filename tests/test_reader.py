"""The reading layer: formal notation, probability shapes, and the injected check that decides between readings."""

import pytest

from fmcgm.causal.graph import CausalGraph
from fmcgm.causal.queries import Query
from fmcgm.errors import MissingQuantityError
from fmcgm.language.formal import FormalQuery, FormalStatements, read_formal
from fmcgm.language.prose import read_story
from fmcgm.language.reader import decide, read_prose
from fmcgm.language.understand import Problem


def test_formal_statements_and_queries():
    f = read_formal("Z -> X, Z -> Y, X -> Y")
    assert isinstance(f, FormalStatements) and f.edges == [("Z", "X"), ("Z", "Y"), ("X", "Y")]
    assert read_formal("U unobserved").latent == ["U"]
    (term, p), = read_formal("P(Y=1 | X=0, Z=1) = 0.2").probabilities
    assert term.event == (("Y", 1),) and term.given == (("X", 0), ("Z", 1)) and p == 0.2
    q = read_formal("What is P(Y=1 | do(X=1)) - P(Y=1 | do(X=0))?")
    assert isinstance(q, FormalQuery) and q.kind == "diff" and q.terms[0].do == (("X", 1),)
    assert read_formal("What is the NIE of X on Y through M?").mediators == ("M",)
    assert read_formal("Smoking causes cancer") is None


@pytest.mark.parametrize("sentence,p", [
    ("Among smokers, 30% get cancer.", 0.3), ("Half of smokers get cancer.", 0.5),
    ("One in ten smokers get cancer.", 0.1), ("A third of smokers get cancer.", 1 / 3),
    ("Smokers: 0.25 get cancer.", 0.25), ("For smokers, the probability of cancer is 12 percent.", 0.12),
])
def test_probability_shapes(sentence, p):
    res = read_prose("Smoking causes cancer. " + sentence + " Among non-smokers, 10% get cancer. "
                     "What is the effect of smoking on cancer?")
    (prob,) = res.readings
    first = next(s for s in prob.statements if s.given == (("smoking", 1),))
    assert first.event == (("cancer", 1),) and first.p == pytest.approx(p)


def test_unreadable_sentence_is_reported_not_skipped():
    res = read_prose("Smoking causes cancer. Cancer strikes 30% of smokers. Among non-smokers, 10% get cancer. "
                     "Does smoking increase cancer?")
    assert not res.readings and res.unreadable


def test_relations_of_many_shapes():
    st = read_story("Genes affect both smoking and cancer, and smoking also directly affects cancer. "
                    "Lung damage is caused by smoking. An unmeasured factor affects stress and sleep. Q?")
    assert st.edges == [("genes", "smoking"), ("genes", "cancer"), ("smoking", "cancer"), ("smoking", "lung damage"),
                        ("factor", "stress"), ("factor", "sleep")]
    assert st.latent == ["factor"]


def _problem() -> Problem:
    g = CausalGraph.build([("x", "y")])
    return Problem(g, "q", "ate", "none", query=Query("ate", "y", "x"))


def test_decide_asks_when_readings_disagree_and_picks_when_they_agree():
    a, b = _problem(), _problem()
    answers = iter([0.2, -0.2])
    d = decide([a, b], lambda p: next(answers))
    assert d.problem is None and "Which one" in d.ask
    d = decide([a, b], lambda p: 0.2)
    assert d.problem is a


def test_decide_skips_readings_the_check_rejects():
    a, b = _problem(), _problem()

    def check(p):
        if p is a:
            raise MissingQuantityError(["P(y=1 | x=0)"])
        return 0.1

    assert decide([a, b], check).problem is b
