"""Asking back (issue 10) and the reader's silent-wrong-answer cases (issue 12 items 1-3), plus a fuzz harness."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langgraph.checkpoint.memory import MemorySaver

from agent.graph import build_graph, run_question
from agent.offline_model import Clarification, _read
from fmcgm.language.names import mentions


def test_no_graph_asks_for_a_graph_and_numbers_and_the_follow_up_is_answered():
    app = build_graph(checkpointer=MemorySaver())
    first = run_question("Does smoking cause cancer?", app=app, thread_id="t-smoke")["answer"]
    assert first["answer"] is None and first["value"] is None
    assert "graph" in first["text"] and "numbers" in first["text"] and "For example" in first["text"]
    follow = run_question("Smoking causes cancer. Among smokers, 30% get cancer; among non-smokers, 10%.",
                          app=app, thread_id="t-smoke")["answer"]
    assert abs(follow["value"] - 0.2) < 1e-9


def test_a_missing_probability_is_named():
    plan = _read("Smoking causes cancer. Among smokers, 30% get cancer. Does smoking increase the risk of cancer?")
    assert isinstance(plan, Clarification)
    assert any("cancer=1 | smoking=0" in m for m in plan.missing)


def test_unknown_variables_are_named_not_answered():
    plan = _read("X -> Y. P(X=1) = 0.5. P(Y=1 | X=1) = 0.6. P(Y=1 | X=0) = 0.2. Will Q increase the chance of Z?")
    assert isinstance(plan, Clarification) and "Q" in " ".join(plan.missing)


def test_names_sharing_a_prefix_are_whole_names():
    assert [m.node for m in mentions("Node11", ["Node1", "Node11"])] == ["Node11"]
    assert [m.node for m in mentions("Node1", ["Node1", "Node11"])] == ["Node1"]


def test_negation_decides_the_value_not_the_order():
    a = [(m.node, m.value) for m in mentions("non-smokers with low tar", ["smoking", "tar"])]
    assert a == [("smoking", 0), ("tar", 0)]
    assert [(m.node, m.value) for m in mentions("students without tutoring pass the exam",
                                                ["tutoring", "passing the exam"])] == [("tutoring", 0), ("passing the exam", 1)]


# -- fuzz: generated stories over random graphs, names that are prefixes of each other, shuffled statements --

NAMES = ["Node1", "Node11", "Node111", "Blip", "Blipper", "Zed", "Zedd", "Q", "Qq"]


@st.composite
def stories(draw):
    x, y, z = draw(st.permutations(NAMES))[:3]
    confounded = draw(st.booleans())
    pct = st.integers(min_value=1, max_value=99)
    pz = draw(pct) / 100
    py = {(a, b): draw(pct) / 100 for a in (0, 1) for b in (0, 1)}
    if not confounded:
        py = {(a, b): py[(a, 0)] for a in (0, 1) for b in (0, 1)}
    edges = [f"{x} -> {y}"] + ([f"{z} -> {x}", f"{z} -> {y}"] if confounded else [])
    probs = [f"P({z}=1) = {pz}"] if confounded else [f"P({x}=1) = {pz}"]
    for a in (0, 1):
        for b in ((0, 1) if confounded else (0,)):
            cond = f"{x}={a}" + (f", {z}={b}" if confounded else "")
            probs.append(f"P({y}=1 | {cond}) = {py[(a, b)]}")
    if confounded:
        probs += [f"P({x}=1 | {z}=1) = 0.5", f"P({x}=1 | {z}=0) = 0.5"]
    sentences = edges + probs
    random.Random(draw(st.integers(0, 10**6))).shuffle(sentences)
    truth = sum((pz if b else 1 - pz) * (py[(1, b)] - py[(0, b)]) for b in (0, 1)) if confounded \
        else py[(1, 0)] - py[(0, 0)]
    return ". ".join(sentences) + f". What is the effect of {x} on {y}?", truth


APP = build_graph()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_fuzz_generated_stories_answer_right_or_decline(case):
    text, truth = case
    ans = run_question(text, app=APP)["answer"]
    if ans["value"] is not None:
        assert abs(ans["value"] - truth) < 1e-6, (text, ans["value"], truth)


def test_fuzz_found_a_name_inside_a_longer_name():
    """Found by the fuzz harness: "Blip" was grounded to "Blipper" (a derived-form match beat the exact name)."""
    text = ("P(Node11=1 | Blip=1, Blipper=1) = 0.02. P(Blip=1 | Blipper=1) = 0.5. Blipper -> Blip. "
            "P(Node11=1 | Blip=0, Blipper=1) = 0.01. P(Blipper=1) = 0.01. P(Node11=1 | Blip=0, Blipper=0) = 0.01. "
            "Blipper -> Node11. Blip -> Node11. P(Blip=1 | Blipper=0) = 0.5. P(Node11=1 | Blip=1, Blipper=0) = 0.01. "
            "What is the effect of Blip on Node11?")
    assert abs(run_question(text, app=APP)["answer"]["value"] - 0.0001) < 1e-9


def test_a_new_full_question_on_the_thread_is_read_on_its_own():
    app = build_graph(checkpointer=MemorySaver())
    run_question("Why is the sky blue?", app=app, thread_id="t-new")
    ans = run_question("Smoking causes cancer. Among smokers, 30% get cancer; among non-smokers, 10%. "
                       "Does smoking increase the chance of cancer?", app=app, thread_id="t-new")["answer"]
    assert ans["answer"] == "yes"


def test_a_follow_up_with_its_own_question_keeps_the_facts_given_before():
    app = build_graph(checkpointer=MemorySaver())
    run_question("X -> Y. P(Y=1 | X=1) = 0.6. What is the ATE of X on Y?", app=app, thread_id="t-facts")
    ans = run_question("P(Y=1 | X=0) = 0.2. What is the ATE of X on Y?", app=app, thread_id="t-facts")["answer"]
    assert abs(ans["value"] - 0.4) < 1e-9
