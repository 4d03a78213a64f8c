"""The benchmark generator: family split, renderings, hand-computed truths, determinism, stated numbers."""

import json
import random
import re
import subprocess
import sys
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest

from evals import question_generator as qg
from evals.question_families import BY_ID, EXAMPLES, FAMILIES, PARTS, SPLIT, SPLITS, _compute_split, families
from evals.question_themes import RULE_THEMES, THEMES

ROOT = Path(__file__).resolve().parents[1]
F = Fraction


def net_of(structure: str, **percents: int) -> qg.Net:
    """A network from short names: pX=P(X=1), pY_X1Z0=P(Y=1|X=1,Z=0), ..."""
    params = {}
    for name, value in percents.items():
        role, _, cond = name[1:].partition("_")
        pairs = tuple((c[0], int(c[1])) for c in re.findall(r"[A-Z]\d", cond))
        params[qg.param_key(role, pairs)] = value
    return qg.build_net(qg.SPECS[structure], params)


# ------------------------------------------------------------------------------------------------ families and split


def test_every_family_has_a_unique_id_an_example_and_a_known_part():
    ids = [f.id for f in FAMILIES]
    assert len(ids) == len(set(ids))
    assert set(EXAMPLES) == set(ids)
    assert {f.part for f in FAMILIES} == set(PARTS)
    for fam in FAMILIES:
        assert fam.example.strip(), fam.id


def test_every_family_renders_to_its_example():
    for fam in FAMILIES:
        text = qg.example_text(fam)
        assert "{" not in text and "}" not in text, fam.id
        assert text == fam.example, fam.id


def test_minimum_family_counts():
    count = Counter(f.part for f in FAMILIES)
    assert count["graph"] >= 6 and count["prob"] + count["pair"] + count["joint"] >= 10 and count["prob"] >= 10
    assert count["question"] >= 12 and count["hidden"] >= 3 and count["rule"] >= 4 and count["cf_question"] >= 4
    assert len(THEMES) >= 25 and len(RULE_THEMES) >= 10


def test_split_is_disjoint_complete_and_balanced_per_part():
    assert set(SPLIT) == set(BY_ID) and set(SPLIT.values()) == set(SPLITS)
    for part in PARTS:
        tune, held = families(part, "tune"), families(part, "heldout")
        assert not {f.id for f in tune} & {f.id for f in held}
        assert len(tune) + len(held) == len(families(part))
        slots = {f.slot for f in families(part)}
        assert abs(len(tune) - len(held)) <= len(slots), part


def test_every_slot_and_question_kind_has_families_in_both_splits():
    for part in PARTS:
        for slot in {f.slot for f in families(part)}:
            for split in SPLITS:
                assert [f for f in families(part, split) if f.slot == slot], (part, slot, split)
    for kind in {f.kind for f in families("question")}:
        for split in SPLITS:
            assert [f for f in families("question", split) if f.kind == kind], (kind, split)
    for op in ("and", "or", "unless"):
        for split in SPLITS:
            assert [f for f in families("rule", split) if op in f.ops], (op, split)


def test_split_is_deterministic_across_processes():
    assert _compute_split() == SPLIT
    code = "import json; from evals.question_families import SPLIT; print(json.dumps(SPLIT, sort_keys=True))"
    for seed in ("0", "123"):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                             env={"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed})
        assert json.loads(out.stdout) == SPLIT


# ------------------------------------------------------------------------------------------------ truths by hand


def test_confounder_truths_by_hand():
    net = net_of("confounder", pZ=50, pX_Z1=80, pX_Z0=20, pY_X1Z1=90, pY_X1Z0=40, pY_X0Z1=60, pY_X0Z0=30)
    # ATE = (0.9-0.6)*0.5 + (0.4-0.3)*0.5
    assert qg.ate(net) == F(2, 10)
    # P(Y|X=1) = (0.9*0.4 + 0.4*0.1)/0.5 = 0.8; P(Y|X=0) = (0.6*0.1 + 0.3*0.4)/0.5 = 0.36
    assert qg.corr(net) == F(44, 100)
    # P(Z=1|X=1) = 0.8: E[Y(0)|X=1] = 0.6*0.8 + 0.3*0.2 = 0.54; ETT = 0.8 - 0.54
    assert qg.ett(net) == F(26, 100)
    assert qg.marginal(net) == F(58, 100)


def test_simpson_reversal_is_kept_apart():
    net = net_of("confounder", pZ=50, pX_Z1=90, pX_Z0=10, pY_X1Z1=20, pY_X1Z0=90, pY_X0Z1=10, pY_X0Z0=80)
    assert qg.ate(net) == F(1, 10)  # both strata +0.1
    assert qg.corr(net) < 0  # the treated are mostly Z=1, where Y is rare


def test_mediation_truths_by_hand():
    net = net_of("mediation", pX=50, pM_X1=70, pM_X0=20, pY_X1M1=80, pY_X1M0=40, pY_X0M1=50, pY_X0M0=10)
    assert qg.nde(net) == F(30, 100)  # (0.8-0.5)*0.2 + (0.4-0.1)*0.8
    assert qg.nie(net) == F(20, 100)  # 0.5*(0.7-0.2) + 0.1*(0.3-0.8)
    assert qg.ate(net) == F(50, 100)  # 0.68 - 0.18
    chain3 = net_of("chain3", pX=50, pM_X1=70, pM_X0=20, pY_M1=80, pY_M0=30)
    assert qg.nde(chain3) == 0 and qg.ate(chain3) == qg.nie(chain3) == F(25, 100)


def test_frontdoor_truth_by_hand():
    net = net_of("frontdoor", pX=50, pM_X1=80, pM_X0=20, pY_X1M1=90, pY_X1M0=50, pY_X0M1=70, pY_X0M0=30)
    # sum_x' P(Y|x',m)P(x'): m=1 -> 0.8, m=0 -> 0.4; do(1) = 0.8*0.8 + 0.2*0.4, do(0) = 0.2*0.8 + 0.8*0.4
    assert qg.frontdoor_do(net, 1) == F(72, 100) and qg.frontdoor_do(net, 0) == F(48, 100)
    assert qg.quantity("frontdoor", "ate", net) == F(24, 100)
    assert qg.quantity("frontdoor", "corr", net) == qg.corr(net)


def test_collider_truths_by_hand():
    net = net_of("collider", pX=50, pY=50, pC_X1Y1=90, pC_X1Y0=50, pC_X0Y1=50, pC_X0Y0=10)
    assert qg.ate(net) == 0 and qg.corr(net) == 0
    # P(Y=1|X=1,C=1) = 0.45/0.7 = 9/14, P(Y=1|X=0,C=1) = 0.25/0.3 = 5/6
    assert qg.cond_corr(net) == F(9, 14) - F(5, 6) == F(-4, 21)


def test_chain_stated_by_joints_by_hand():
    params = {"P(X=1)": 40, "P(X=1,Y=1)": 20, "P(X=0,Y=1)": 12}
    net = qg.build_net(qg.SPECS["chain"], params)
    assert qg.ate(net) == F(1, 2) - F(1, 5) and qg.marginal(net) == F(32, 100) and qg.ett(net) == qg.ate(net)


def test_unobserved_confounder_is_not_identifiable_but_association_is():
    net = net_of("unobs", pX=30, pY_X1=60, pY_X0=20)
    assert qg.quantity("unobs", "ate", net) is None and qg.quantity("unobs", "ett", net) is None
    assert qg.quantity("unobs", "corr", net) == F(40, 100)
    assert qg.expected(BY_ID["q_does_increase"], None) == ("not_identifiable", {})


def test_expected_follows_the_wording():
    q = F(2, 10)  # smoking raises lung cancer by 0.2
    yes = {"q_does_increase", "q_off_reduce", "q_do_gt", "q_affect", "q_more_likely", "q_ate_positive", "q_help",
           "q_everyone", "q_off_neg_outcome"}
    no = {"q_would_lower", "q_can_prevent", "q_is_reduce", "q_off_more", "q_neg_outcome", "q_do_lt", "q_ate_negative",
          "q_less_likely"}
    for fid in yes:
        assert qg.expected(BY_ID[fid], q) == ("yes", {"value_abs": 0.2}), fid
    for fid in no:
        assert qg.expected(BY_ID[fid], q)[0] == "no", fid
        assert qg.expected(BY_ID[fid], -q)[0] == "yes", fid
    assert qg.expected(BY_ID["q_affect"], F(0))[0] == "no" and qg.expected(BY_ID["q_does_increase"], F(0))[0] == "no"
    assert qg.expected(BY_ID["q_ate_value"], -q) == (None, {"value": -0.2})
    # ETT wording: "would ... have been less likely had they not smoked" is yes when the ETT is positive
    assert qg.expected(BY_ID["q_ett_less"], q)[0] == "yes" and qg.expected(BY_ID["q_ett_more"], q)[0] == "no"


def test_deterministic_counterfactual_by_hand():
    # the grass is wet exactly when it rains or the sprinkler is on; seen: sprinkler off, grass wet -> it rained
    rng = random.Random(0)
    for _ in range(200):
        case = qg.draw_rule_case(rng, "or")
        worlds = [w for w in case.consistent]
        for a, b in worlds:
            world = {"A": a, "B": b, "Y": a | b}
            assert all(world[v] == case.actual[v] for v in case.observed)
            cf = (case.value | b) if case.target == "A" else (a | case.value)
            assert cf == case.outcome
    fam = BY_ID["cf_had"]
    assert fam.text.format(a_subj="it", a_not=" not", a_pp="rained", y_subj="the grass", y_pp="been wet") == \
        "Had it not rained, would the grass have been wet?"


def test_rule_rows_by_hand():
    rows = [r for r in qg.generate("tune", 300, seed=5) if r["kind"] == "det_cf"]
    assert rows
    for row in rows:
        m = row["model"]
        op = row["structure"].removeprefix("rule_")
        (target, value), = m["intervention"].items()
        for a, b in m["consistent_worlds"]:
            a2, b2 = (value, b) if target == "A" else (a, value)
            assert qg.RULES[op](a2, b2) == m["counterfactual_Y"]


# ------------------------------------------------------------------------------------------------ rows


@pytest.fixture(scope="module")
def rows():
    return {split: qg.generate(split, 400, seed=11) for split in SPLITS}


def test_same_seed_same_rows_and_other_seed_other_rows():
    assert qg.generate("heldout", 60, seed=3) == qg.generate("heldout", 60, seed=3)
    assert qg.generate("heldout", 60, seed=3) != qg.generate("heldout", 60, seed=4)
    assert qg.generate("tune", 60, seed=3) != qg.generate("heldout", 60, seed=3)


def test_rows_use_only_their_split_families(rows):
    for split, rs in rows.items():
        for row in rs:
            assert row["families"] and all(SPLIT[f] == split for f in row["families"]), row["id"]


def test_row_schema_and_truths(rows):
    expects = Counter()
    for row in [*rows["tune"], *rows["heldout"]]:
        assert set(row) >= {"id", "question", "expect", "kind", "structure", "families", "model", "why"}
        assert row["expect"] in ("yes", "no", None, "not_identifiable", "ask")
        expects[row["expect"]] += 1
        if row["expect"] is None:
            assert isinstance(row["value"], float)
        if row["expect"] in ("yes", "no") and row["kind"] != "det_cf":
            assert row["value_abs"] >= 0.03 or row["value_abs"] == 0
            assert row["value_abs"] == 0 or (row["structure"], row["kind"]) not in qg.STRUCTURAL_ZERO
        if row["expect"] == "not_identifiable":
            assert row["structure"] == "unobs"
        assert row["question"].rstrip().endswith("?")
        assert "{" not in row["question"]
    assert all(expects[k] for k in ("yes", "no", None, "not_identifiable", "ask"))


def test_row_truth_recomputed_from_the_model(rows):
    for row in rows["heldout"]:
        if row["kind"] == "det_cf" or row["expect"] in ("ask", "not_identifiable"):
            continue
        params = {k: round(v * 100) for k, v in row["model"]["params"].items()}
        q = qg.quantity(row["structure"], row["kind"], qg.build_net(qg.SPECS[row["structure"]], params))
        qfam = BY_ID[row["families"][-1]]
        assert qg.expected(qfam, q)[0] == row["expect"], row["id"]


def test_ask_rows_leave_out_a_number_that_matters(rows):
    asks = [r for rs in rows.values() for r in rs if r["expect"] == "ask"]
    assert asks
    for row in asks:
        missing = row["model"]["missing"]
        params = {k: round(v * 100) for k, v in row["model"]["params"].items()}
        qfam = BY_ID[row["families"][-1]]
        assert missing in qg.ask_candidates(row["structure"], row["kind"], qfam, params)


def test_ask_leaves_out_only_numbers_that_can_change_the_answer():
    # ATE = (0.9-0.6)*0.5 + (0.4-0.3)*0.5 = 0.2 is positive in both strata, so P(Z) and P(X|Z) cannot flip the
    # yes/no; nor can P(Y=1|X=1,Z=0) (at 0.01: 0.15 - 0.145 > 0) or P(Y=1|X=0,Z=1) (at 0.99: -0.045 + 0.05 > 0).
    # P(Y=1|X=1,Z=1) at 0.01 gives -0.245 and P(Y=1|X=0,Z=0) at 0.99 gives -0.145: those two are needed.
    params = {"P(Z=1)": 50, "P(X=1|Z=1)": 80, "P(X=1|Z=0)": 20, "P(Y=1|X=1,Z=1)": 90, "P(Y=1|X=1,Z=0)": 40,
              "P(Y=1|X=0,Z=1)": 60, "P(Y=1|X=0,Z=0)": 30}
    yes_no = qg.ask_candidates("confounder", "ate", BY_ID["q_does_increase"], params)
    assert set(yes_no) == {"P(Y=1|X=1,Z=1)", "P(Y=1|X=0,Z=0)"}
    number = qg.ask_candidates("confounder", "ate_value", BY_ID["q_ate_value"], params)
    assert set(number) == set(yes_no) | {"P(Z=1)", "P(Y=1|X=1,Z=0)", "P(Y=1|X=0,Z=1)"}  # P(X|Z) never enters the ATE
    assert qg.ask_candidates("collider", "ate", BY_ID["q_does_increase"],
                             {"P(X=1)": 50, "P(Y=1)": 50, "P(C=1|X=1,Y=1)": 90, "P(C=1|X=1,Y=0)": 50,
                              "P(C=1|X=0,Y=1)": 50, "P(C=1|X=0,Y=0)": 10}) == []


# ------------------------------------------------------------------------------------------------ stated numbers

WORDS = {v: k for k, v in qg.FRAC_OF.items()} | {v: k for k, v in qg.FRAC_BARE.items()}
PERCENT = re.compile(r"(?<![\d.=])(\d{1,2})(?:%| percent| out of every 100| cases out of 100)")
DECIMAL = re.compile(r"(?<![\d=])0\.(\d{1,2})(?!\d)")


def numbers_in(text: str) -> list[int]:
    """Whole percents read back from a rendered sentence: 25%, 25 percent, 0.25, one in four..."""
    found = [int(m) for m in PERCENT.findall(text)]
    found += [int(m.ljust(2, "0")) for m in DECIMAL.findall(text)]
    low = text.lower()
    for words, p in sorted(WORDS.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{words}\b", low):
            found.append(p)
            low = low.replace(words, "")
    return found


@pytest.mark.parametrize("fid", [f.id for f in families("prob")])
def test_prob_families_state_their_number(fid):
    fam = BY_ID[fid]
    theme = THEMES[3]
    for p in (5, 10, 25, 37, 50, 75, 90):
        fact = qg.Fact("Y", (("X", 0), ("Z", 1)), p)
        if not set(fam.needs) <= qg.prob_flags(fact):
            continue
        text = fam.text.format(**qg.prob_context(theme, fact))
        assert numbers_in(text) == [p], (fid, p, text)


@pytest.mark.parametrize("fid", [f.id for f in families("pair")] + [f.id for f in families("joint")])
def test_pair_and_joint_families_state_their_numbers(fid):
    fam, theme = BY_ID[fid], THEMES[7]
    if fam.part == "pair":
        f1, f0 = qg.Fact("Y", (("X", 1), ("Z", 1)), 63), qg.Fact("Y", (("X", 1), ("Z", 0)), 8)
        assert sorted(numbers_in(fam.text.format(**qg.pair_context(theme, f1, f0)))) == [8, 63]
    else:
        fact = qg.Fact("Y", (("X", 1),), 17, joint=True)
        assert numbers_in(fam.text.format(**qg.joint_context(theme, fact))) == [17]


def test_every_stated_parameter_appears_in_the_row(rows):
    for row in [*rows["tune"], *rows["heldout"]]:
        if row["kind"] == "det_cf":
            continue
        said = numbers_in(row["question"])
        for key, value in row["model"]["params"].items():
            if key == row["model"]["missing"]:
                continue
            assert round(value * 100) in said, (row["id"], key, row["question"])


def test_cli_writes_rows(tmp_path):
    out = tmp_path / "rows.jsonl"
    assert qg.main(["--split", "heldout", "--n", "25", "--seed", "2", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in lines] == [f"heldout-2-{i:05d}" for i in range(25)]
    assert lines == qg.generate("heldout", 25, seed=2)


def test_does_not_hang():
    """A guard against a runaway generator, not a speed target (speed is measured by the eval, which prints its
    time): 500 questions take about 5 s idle, 10 s on a loaded 2-core machine."""
    import time

    t0 = time.perf_counter()
    qg.generate("heldout", 500, seed=9)
    assert time.perf_counter() - t0 < 90
