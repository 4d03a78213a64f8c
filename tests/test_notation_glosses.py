"""Notation with the variables said in words (issue 16, the classes of blind set 6): glosses "X = got a flu shot",
chains "Fertilizer (X) -> root growth (M) -> yield (Y)", "plus a direct X -> Y arrow", "with no direct X -> Y arrow and
U not affecting M", "No confounding, A -> B only", "i.e." inside a question, an estimand named without variables (X on
Y by the notation's convention).  Stories and numbers are my own; truths worked by hand in the comments."""

from __future__ import annotations

import pytest

from fmcgm.language.prose import read_story, sentences
from tests.test_reader_adversarial import ask, confident, never_wrong

# ATE of X on Y = 0.3 * (0.2 - 0.5) + 0.7 * (0.05 - 0.15) = -0.16
FLU = ("X -> Y, Z -> X, Z -> Y. X = got a flu shot, Y = caught the flu, Z = is elderly. P(Z=1)=0.3, P(X=1|Z=1)=0.8, "
       "P(X=1|Z=0)=0.4, P(Y=1|X=1,Z=1)=0.2, P(Y=1|X=0,Z=1)=0.5, P(Y=1|X=1,Z=0)=0.05, P(Y=1|X=0,Z=0)=0.15.")


def test_glosses_are_read_and_name_no_arrow():
    st = read_story(FLU)
    assert st.glosses == {"X": "got a flu shot", "Y": "caught the flu", "Z": "is elderly"}
    assert sorted(st.edges) == [("X", "Y"), ("Z", "X"), ("Z", "Y")] and st.unreadable == []


@pytest.mark.parametrize("question", ["Does the flu shot reduce catching the flu?",
                                      "Does getting a flu shot lower the chance of catching the flu?"])
def test_a_question_in_words_is_read_against_the_glosses(question):
    a = ask(f"{FLU} {question}")
    never_wrong(a, "yes", 0.16)
    assert confident(a), a["text"]


def test_a_question_about_words_no_gloss_has_is_not_answered():
    assert not confident(ask(f"{FLU} Does exercise reduce catching the flu?"))


# NIE = (0.5 - 0.2) * (0.8 - 0.3) = 0.15; NDE = 0.7 * 0.1 + 0.3 * 0.1 = 0.10
MEDIATION = ("Fertilizer (X) -> root growth (M) -> yield (Y), plus a direct X -> Y arrow. No confounders. "
             "P(M=1|X=1)=0.8, P(M=1|X=0)=0.3, P(Y=1|X=0,M=0)=0.2, P(Y=1|X=0,M=1)=0.5, P(Y=1|X=1,M=0)=0.3, "
             "P(Y=1|X=1,M=1)=0.6.")


@pytest.mark.parametrize("question, expect, size", [
    ("Does fertilizer raise yield through root growth, i.e. is the natural indirect effect positive?", "yes", 0.15),
    ("What is the natural direct effect NDE = E[Y(1, M(0))] - E[Y(0)]?", None, 0.10),
    ("What is the NIE?", None, 0.15),
])
def test_a_glossed_chain_and_named_estimands(question, expect, size):
    a = ask(f"{MEDIATION} {question}")
    never_wrong(a, expect, size)
    assert confident(a), a["text"]


def test_i_e_ends_no_sentence():
    assert sentences("What is the ATE, i.e. P(Y=1|do(X=1)) - P(Y=1|do(X=0))? Thanks.") == \
        ["What is the ATE, i.e. P(Y=1|do(X=1)) - P(Y=1|do(X=0))?", "Thanks."]


def test_closure_and_arrow_in_one_clause():
    a = ask("No confounding, A -> B only. P(B=1|A=1)=0.7, P(B=1|A=0)=0.4. What is the ATE of A on B, i.e. "
            "P(B=1|do(A=1)) - P(B=1|do(A=0))?")
    never_wrong(a, None, 0.3)
    assert confident(a), a["text"]


def test_absences_said_with_a_chain_make_the_front_door():
    # front door: (0.8 - 0.2) * 0.55 + (0.2 - 0.8) * 0.25 = 0.18
    a = ask("U unobserved. U -> X, U -> Y. X -> M -> Y, with no direct X -> Y arrow and U not affecting M. P(X=1)=0.5, "
            "P(M=1|X=1)=0.8, P(M=1|X=0)=0.2, P(Y=1|X=1,M=1)=0.6, P(Y=1|X=1,M=0)=0.3, P(Y=1|X=0,M=1)=0.5, "
            "P(Y=1|X=0,M=0)=0.2. What is the ATE of X on Y?")
    never_wrong(a, None, 0.18)
    assert confident(a), a["text"]


def test_an_estimand_without_variables_needs_the_letters():
    a = ask("A -> B -> C. P(A=1)=0.5, P(B=1|A=1)=0.9, P(B=1|A=0)=0.3, P(C=1|B=1)=0.6, P(C=1|B=0)=0.2. What is the ATE?")
    assert not confident(a), a["text"]
