"""Discovery from stated independences (Corr2Cause): the reader, the equivalence class, the verdicts, the tool,
the agent end to end and the eval.  Every truth below is derived by hand in the comment beside it."""

from __future__ import annotations

import json
import random
from itertools import combinations

import networkx as nx
import pytest

from fmcgm.discovery.equivalence_class import equivalence_class, evaluate, members_by_brute_force
from fmcgm.discovery.independence_statements import (
    StatementError,
    accepts,
    read_hypothesis,
    read_premises,
    read_problem,
)
from fmcgm.errors import InconsistentInputError


def statements_of(edges: list[tuple[str, str]], variables: list[str]) -> str:
    """The Corr2Cause++ premise of a DAG: every d-separation, in the benchmark's wording."""
    g = nx.DiGraph()
    g.add_nodes_from(variables)
    g.add_edges_from(edges)
    parts = []
    for x, y in combinations(variables, 2):
        rest = [v for v in variables if v not in (x, y)]
        for k in range(len(rest) + 1):
            for cond in combinations(rest, k):
                if nx.is_d_separator(g, {x}, {y}, set(cond)):
                    parts.append(f"{x} indep {y}" + (f" | {', '.join(cond)}" if cond else ""))
    names = ", ".join(variables[:-1]) + f", and {variables[-1]}"
    return (f"Suppose there is a closed system of {len(variables)} variables, {names}, whose causal structure forms a "
            f"directed acyclic graph and satisfies faithfulness. All the conditional independence relations are: "
            f"{'; '.join(parts)}.")


def verdict(premises: str, hypothesis: str):
    p = read_premises(premises)
    return evaluate(read_hypothesis(hypothesis, p), equivalence_class(p))


# A → B ← C in the original Corr2Cause wording: the only independence is A ⫫ C, B is not in its separating set,
# so B is a collider; the class has one member: A → B ← C.
COLLIDER = ("Suppose there is a closed system of 3 variables, A, B and C. All the statistical relations among these 3 "
            "variables are as follows: A correlates with B. B correlates with C. However, A is independent of C.")
# A – B – C with A ⫫ C | B: no collider, three members (A → B → C, A ← B ← C, A ← B → C).
CHAIN = "A correlates with B. B correlates with C. A is independent of C given B."
# A → C ← B, C → D: C → D is compelled (Meek's first rule: A → C – D with A, D apart); one member.
MEEK = statements_of([("A", "C"), ("B", "C"), ("C", "D")], ["A", "B", "C", "D"])
# A → C ← B, C → D, C → E: C is a compelled common parent of D and E; one member.
FORK = statements_of([("A", "C"), ("B", "C"), ("C", "D"), ("C", "E")], ["A", "B", "C", "D", "E"])
# X – Y adjacent, both adjacent to K1 and K2, K1 ⫫ K2 | X, Y only: no edge is compelled, yet every member has a
# common child of X and Y (a member without one needs K1 → X and K2 → Y, say, and then every orientation of
# X – Y closes a cycle or a new collider), while a member with K1 as source (K1 → X, K1 → Y, X → K2, Y → K2)
# gives K1 no parent: a common parent of K1 and K2 is not implied.
DIAMOND = ("Suppose there is a closed system of 4 variables, X, Y, K1, and K2. All the conditional independence "
           "relations are: K1 indep K2 | X, Y.")


@pytest.mark.parametrize("hypothesis, implied", [
    ("A directly causes B.", True),                       # parent, compelled
    ("B directly causes A.", False),                      # child of A? no: the edge is A → B
    ("A is directly affected by B.", False),              # the Corr2Cause++ child wording
    ("B is directly affected by A.", True),
    ("There exists at least one collider (i.e., common effect) of A and C.", True),  # B
    ("A and C together cause some other variable(s).", True),
    ("There exists at least one confounder (i.e., common cause) of A and C.", False),
    ("Some variable(s) cause(s) both A and C.", False),
    ("A causes something else which causes C.", False),   # no directed path from A to C
    ("A influences B through some mediator(s).", False),  # a direct edge is not through a mediator
])
def test_collider_class_in_the_original_wording(hypothesis, implied):
    v = verdict(COLLIDER, hypothesis)
    assert v.members == 1 and v.implied is implied


@pytest.mark.parametrize("hypothesis, holds_in", [
    ("A directly affects B.", 1),                         # only A → B → C
    ("A influences C through some mediator(s) but not directly.", 1),
    ("C influences A through some mediator(s) but not directly.", 1),
    ("There exists at least one confounder (i.e., a common parent) of A and C.", 1),  # only the fork A ← B → C
    ("There exists at least one collider (i.e., a common child) of A and C.", 0),
])
def test_some_but_not_all_members_is_not_implied(hypothesis, holds_in):
    v = verdict(CHAIN, hypothesis)
    assert v.members == 3 and v.holds_in == holds_in and not v.implied
    assert v.counterexample is not None and v.reason  # the member that violates it, and why


@pytest.mark.parametrize("hypothesis, implied", [
    ("C directly affects D.", True),                      # parent by propagation, not by a collider
    ("D is directly affected by C.", True),
    ("A influences D through some mediator(s) but not directly.", True),   # ancestor: A → C → D
    ("A is a cause for D, but not a direct one.", True),  # the original descendant wording, read as ancestor(A, D)
    ("D influences A through some mediator(s) but not directly.", False),
    ("There exists at least one collider (i.e., a common child) of A and B.", True),  # C
    ("There exists at least one confounder (i.e., a common parent) of C and D.", False),
    ("A directly affects D.", False),                     # not adjacent
])
def test_propagated_orientation(hypothesis, implied):
    v = verdict(MEEK, hypothesis)
    assert v.members == 1 and v.implied is implied


def test_compelled_common_parent_is_a_confounder():
    assert verdict(FORK, "There exists at least one confounder (i.e., a common parent) of D and E.").implied
    assert verdict(FORK, "D and E have a common cause.").implied
    assert not verdict(FORK, "There is a confounder of A and B.").implied


def test_implied_in_every_member_without_a_compelled_edge():
    cls = equivalence_class(read_premises(DIAMOND))
    assert cls.compelled == frozenset() and len(cls.members) > 1
    v = evaluate(read_hypothesis("There exists at least one collider (i.e., a common child) of X and Y.",
                                 read_premises(DIAMOND)), cls)
    assert v.implied and v.holds_in == v.members and set(v.witnesses) == {"K1", "K2"}
    assert not verdict(DIAMOND, "There exists at least one confounder (i.e., a common parent) of K1 and K2.").implied


def test_the_enumerated_class_is_the_brute_force_class():
    """Every orientation of the skeleton whose d-separations are exactly the stated ones — no collider rule used."""
    for text in (COLLIDER, CHAIN, MEEK, FORK, DIAMOND):
        p = read_premises(text)
        cls = equivalence_class(p)
        assert set(members_by_brute_force(p)) == set(cls.members)


def test_renamed_variables_give_the_same_verdicts():
    """The same DAG under other names (and another order of declaration): the same verdicts, renamed."""
    names = {"A": "Rain", "B": "Sprinkler", "C": "Wet", "D": "Slip"}
    edges = [("A", "C"), ("B", "C"), ("C", "D")]
    renamed = statements_of([(names[a], names[b]) for a, b in edges], ["Slip", "Wet", "Sprinkler", "Rain"])
    assert "Wet indep Rain" not in renamed and "Sprinkler indep Rain" in renamed
    templates = ["{C} directly affects {D}.", "{A} influences {D} through some mediator(s) but not directly.",
                 "There exists at least one collider (i.e., a common child) of {A} and {B}.", "{A} directly affects {D}.",
                 "{D} is directly affected by {C}.", "{C} and {D} have a common cause."]
    for t in templates:
        assert verdict(renamed, t.format(**names)).implied == verdict(MEEK, t.format(**{k: k for k in names})).implied
        assert verdict(renamed, t.format(**names)).members == 1


def test_both_spellings_give_the_same_class():
    formal = ("Suppose there is a closed system of 3 variables, A, B, and C, whose causal structure forms a directed "
              "acyclic graph and satisfies faithfulness. All the conditional independence relations are: A indep C.")
    a, b = equivalence_class(read_premises(formal)), equivalence_class(read_premises(COLLIDER))
    assert a.members == b.members == (frozenset({("A", "B"), ("C", "B")}),)


def test_whole_problem_with_label_or_question():
    p = read_problem(f"Premise: {CHAIN}\nHypothesis: A directly affects B.")
    assert (p.hypothesis.kind, p.hypothesis.x, p.hypothesis.y) == ("parent", "A", "B")
    q = read_problem(f"{COLLIDER} Is it implied that A and C have a common effect?")
    assert q.hypothesis.kind == "collider"
    assert accepts(f"{CHAIN} Does it follow that B directly causes C?")
    assert not accepts("Does smoking cause cancer?")


def test_unreadable_statement_is_named():
    with pytest.raises(StatementError) as e:
        read_premises("A indep B | C; A maybe causes B; B indep C")
    assert e.value.sentence == "A maybe causes B" and "A maybe causes B" in e.value.message


def test_unreadable_sentence_in_prose_is_named():
    with pytest.raises(StatementError, match="\u201cB is sort of linked to C\u201d"):
        read_problem("A correlates with B. B is sort of linked to C. Hypothesis: A directly causes B.")


def test_unreadable_hypothesis_is_named():
    with pytest.raises(StatementError, match="A and B are friends"):
        read_problem(f"{CHAIN} Hypothesis: A and B are friends.")


def test_undeclared_variable_and_wrong_count_are_named():
    with pytest.raises(StatementError, match="\u201cD indep A\u201d: D is not one of the variables A, B, C"):
        read_premises("Suppose there is a closed system of 3 variables, A, B, and C. "
                      "All the conditional independence relations are: A indep B; D indep A.")
    with pytest.raises(StatementError, match="announces 4 variables but names 3"):
        read_premises("Suppose there is a closed system of 4 variables, A, B, and C. "
                      "All the conditional independence relations are: A indep B.")
    with pytest.raises(StatementError, match="\u201cE directly causes A\u201d: E is not one of the variables"):
        read_problem(f"{COLLIDER} Hypothesis: E directly causes A.")


def test_tested_variable_in_its_own_conditioning_set_is_named():
    with pytest.raises(StatementError, match="\u201cA indep B \\| A, C\u201d"):
        read_premises("A indep B | A, C")


def test_contradictions_fit_no_dag():
    with pytest.raises(InconsistentInputError, match="A correlates with B.*A is independent of B"):
        read_premises("A correlates with B. A is independent of B.")
    # C is adjacent to A and B; one statement puts it in their separating set, the other not
    with pytest.raises(InconsistentInputError, match="\u201cA indep B\u201d.*\u201cA indep B \\| C\u201d|"
                                                     "\u201cA indep B \\| C\u201d.*\u201cA indep B\u201d"):
        equivalence_class(read_premises("A indep B; A indep B | C"))
    # A apart from B and from C makes A isolated, and then A ⫫ B | C holds too: the closed list misses it
    with pytest.raises(InconsistentInputError, match="A \u2aeb B \\| C, which is not stated"):
        equivalence_class(read_premises("A is independent of B. A is independent of C."))


def test_empty_statement_list_is_the_complete_graph():
    p = read_premises("Suppose there is a closed system of 3 variables, X, Y, and Z, whose causal structure forms a "
                      "directed acyclic graph and satisfies faithfulness. All the conditional independence relations "
                      "are: .")
    cls = equivalence_class(p)
    assert len(cls.members) == 6 and cls.compelled == frozenset()  # every order of three variables


def _random_dag(rng: random.Random, n: int) -> tuple[list[str], list[tuple[str, str]]]:
    names = [f"V{i}" for i in range(n)]
    order = names[:]
    rng.shuffle(order)
    edges = [(order[i], order[j]) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.45]
    return names, edges


def test_compelled_edges_agree_with_causal_learn_pc():
    """causal-learn's PC with its d-separation oracle on the true DAG finds the same CPDAG."""
    pytest.importorskip("causallearn")
    import numpy as np
    from causallearn.search.ConstraintBased.PC import pc

    rng = random.Random(7)
    for _ in range(8):
        names, edges = _random_dag(rng, rng.randint(3, 6))
        cls = equivalence_class(read_premises(statements_of(edges, names)))
        g = nx.DiGraph()
        g.add_nodes_from(range(len(names)))
        g.add_edges_from((names.index(a), names.index(b)) for a, b in edges)
        cg = pc(np.zeros((10, len(names))), 0.05, "d_separation", true_dag=g, show_progress=False)
        m = cg.G.graph
        directed = {(names[i], names[j]) for i in range(len(names)) for j in range(len(names))
                    if m[j, i] == 1 and m[i, j] == -1}
        assert directed == set(cls.compelled), (edges, directed, cls.compelled)
        assert frozenset(edges) in cls.members


def test_random_dags_are_in_their_own_class():
    rng = random.Random(11)
    for _ in range(20):
        names, edges = _random_dag(rng, rng.randint(2, 5))
        p = read_premises(statements_of(edges, names))
        cls = equivalence_class(p)
        assert frozenset(edges) in cls.members
        assert set(members_by_brute_force(p)) == set(cls.members)


# --- the tool, the agent, the eval ------------------------------------------------------------------------------


def test_tool_gives_verdict_with_derivation():
    from tools import call_tool

    res = call_tool("infer_from_independences", {"premises": CHAIN, "hypothesis": "A directly affects B."})
    assert res["ok"] and res["data"]["answer"] == "no" and res["data"]["members"] == 3
    assert res["data"]["holds_in"] == 1 and res["data"]["counterexample"]
    assert any("Skeleton" in line for line in res["data"]["derivation"])
    bad = call_tool("infer_from_independences", {"premises": "A indep B | C; A maybe causes B",
                                                 "hypothesis": "A directly affects B."})
    assert not bad["ok"] and bad["error"]["code"] == "unparseable" and "\u201cA maybe causes B\u201d" in bad["error"]["message"]


def test_agent_answers_from_the_tool():
    from agent.graph import run_question

    state = run_question(f"Premise: {MEEK}\nHypothesis: A influences D through some mediator(s) but not directly.")
    ans = state["answer"]
    assert ans["computed"] and ans["answer"] == "yes" and ans["outcome"] == "answered"
    assert [s["tool"] for s in state["trace"] if s.get("tool")] == ["infer_from_independences"]
    assert "Markov equivalence class" in ans["text"] and "faithfulness" in " ".join(ans["assumptions"])
    no = run_question(f"{CHAIN} Is it implied that A directly affects B?")["answer"]
    assert no["computed"] and no["answer"] == "no" and "violates" in no["text"]


def test_agent_does_not_compute_what_fits_no_dag():
    from agent.graph import run_question

    ans = run_question("A is independent of B. A is independent of C. Hypothesis: B directly affects C.")["answer"]
    assert not ans["computed"] and ans["answer"] is None and ans["outcome"] == "declined"
    assert "not stated" in ans["error"]


def test_other_questions_do_not_take_the_independence_path():
    from agent.offline_model import _independence

    assert _independence("Smoking has a direct effect on cancer. Does smoking cause cancer?") is None
    assert _independence(f"{CHAIN} Hypothesis: A directly affects B.") == {
        "premises": CHAIN, "hypothesis": "A directly affects B"}


def _records(tmp_path):
    rows = [
        # 1 correct yes, 1 correct no, 1 label that follows the forced-edges rule (the DIAMOND case): a miss
        {"label": 1, "relation_type": "child", "forced_edges": [["A", "C"], ["B", "C"], ["C", "D"]],
         "query": f"Instruction.\n\nPremise:\n{MEEK}\n\nHypothesis: D is directly affected by C.\n\n<think>\n"},
        {"label": 0, "relation_type": "parent", "forced_edges": [],
         "query": f"Premise:\n{CHAIN}\n\nHypothesis: A directly affects B."},
        {"label": 0, "relation_type": "collider", "forced_edges": [],
         "query": f"Premise:\n{DIAMOND}\n\nHypothesis: There exists at least one collider (i.e., a common child) of X and Y."},
    ]
    path = tmp_path / "test.json"
    path.write_text(json.dumps(rows))
    return path


def test_eval_scores_and_explains_the_miss(tmp_path):
    from evals.corr2cause_eval import evaluate, load_records

    rep = evaluate(load_records(_records(tmp_path)))
    assert (rep["tp"], rep["fp"], rep["fn"], rep["tn"]) == (1, 1, 0, 1) and rep["accuracy"] == pytest.approx(2 / 3)
    assert rep["precision"] == 0.5 and rep["recall"] == 1.0 and rep["compelled_equal_forced_edges"] == [3, 3]
    (miss,) = rep["misses"]
    assert miss["relation_type"] == "collider" and miss["predicted"] == 1
    assert "brute force" in miss["check"] and "holds in" in miss["check"]
    assert "on those edges alone the hypothesis is false" in miss["label_basis"]


def test_eval_cli(tmp_path):
    from typer.testing import CliRunner

    from fmcgm.cli import app

    out = tmp_path / "r.json"
    r = CliRunner().invoke(app, ["eval", "corr2cause", "--data", str(_records(tmp_path)), "--json", str(out),
                                 "--limit", "2"])
    assert r.exit_code == 0, r.output
    rep = json.loads(out.read_text())
    assert rep["n"] == 2 and rep["f1"] == 1.0 and "parent" in r.output
    missing = CliRunner().invoke(app, ["eval", "corr2cause", "--data", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "no data file" in missing.output


WORDS = ["A", "B", "C", "indep", "|", ",", ";", ".", "and", "is", "independent", "of", "given", "correlates", "with",
         "Hypothesis:", "Premise:", "directly", "affects", "There", "exists", "a", "collider", "(i.e.,", "common",
         "child)", "All", "the", "conditional", "relations", "are:", "However,", "?", "Is", "it", "implied", "that"]


def test_any_word_salad_is_read_or_refused_with_a_named_statement():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from fmcgm.errors import FMCGMError

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(WORDS), max_size=30))
    def check(words):
        text = " ".join(words)
        try:
            p = read_problem(text)
        except StatementError as e:
            assert e.sentence and e.sentence in " ".join(text.split())
            return
        except FMCGMError:
            return
        assert p.hypothesis.x in p.premises.variables

    check()
