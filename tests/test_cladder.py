"""Regression guard on the CLadder development slice, through the agent (the benchmark is evals/)."""

from agent.graph import build_graph, run_question


def test_dev_slice_accuracy(dev_rows):
    app = build_graph()
    wrong = [r["question_id"] for r in dev_rows if run_question(r["prompt"], app=app)["answer"]["answer"] != r["answer"]]
    assert len(wrong) / len(dev_rows) <= 0.01, wrong


def test_nonsense_names_can_be_renamed(dev_rows):
    """The reader is not tied to the words it has seen: rename invented variables and get the same answers."""
    import re

    app = build_graph()
    rows = [r for r in dev_rows if r["variant"] == "nonsense"][:40]
    for r in rows:
        names = set(re.findall(r"\b([A-Z][a-z]{3,4}) has a direct effect", r["prompt"]))
        text = r["prompt"]
        for i, n in enumerate(sorted(names)):
            text = re.sub(rf"\b{n}\b", f"Qa{i}zo", text)
            text = re.sub(rf"\b{n.lower()}\b", f"qa{i}zo", text)
        same = run_question(text, app=app)["answer"]["answer"]
        assert same == run_question(r["prompt"], app=app)["answer"]["answer"], r["question_id"]
