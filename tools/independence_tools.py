"""A tool for questions that state (conditional) independences and ask whether a causal hypothesis follows.

Its own tool rather than a mode of ``propose_edges``: the input is a list of independence statements, not
edges, and the answer is a verdict over a whole Markov equivalence class with its derivation.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from fmcgm.errors import ParseError
from tools.schemas import IndependenceData, ToolResult

if TYPE_CHECKING:  # the readers (a lark grammar) and the class enumeration load when the tool runs, not at start-up
    from fmcgm.discovery.independence_statements import Hypothesis, Premises

METHOD = ("independence oracle: skeleton and colliders by PC's rules, every member of the Markov equivalence class "
          "enumerated and checked against all stated independences, the hypothesis tested in each member")


class InferFromIndependencesArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a key the schema does not name is refused with its name

    premises: str = Field(..., min_length=1, max_length=100_000, description=(
        "the stated independences, verbatim: e.g. 'A correlates with B. B correlates with C. However, A is "
        "independent of C given B.' or 'Suppose there is a closed system of 3 variables, A, B, and C ... All the "
        "conditional independence relations are: A indep C | B.'"))
    hypothesis: str = Field(..., min_length=1, max_length=2_000, description=(
        "one hypothesis, verbatim: e.g. 'B directly affects C.', 'A influences C through some mediator(s).', "
        "'There exists at least one collider (i.e., a common child) of A and B.', 'A and C have a common cause.'"))


FORMAL_MARKS = re.compile(r"\bindep\b|\u2aeb|\u22a5|_\|\|_|\||Suppose there is a closed system of \d+ variables, [A-Z]\b")


def read_statements(premises_text: str, hypothesis_text: str) -> tuple[Premises, Hypothesis]:
    """The premises and the hypothesis: in the formal language (Corr2Cause's) when its reader takes them, else in
    plain words.  A text in neither is refused with the error of the reader it was meant for (formal marks such
    as 'indep' or '|': the formal reader's), which quotes the sentence it could not read."""
    from fmcgm.discovery.independence_statements import read_hypothesis, read_premises
    from fmcgm.discovery.plain_independence import read_plain_hypothesis, read_plain_premises

    formal = bool(FORMAL_MARKS.search(premises_text))
    try:
        premises = read_premises(premises_text)
    except ParseError:
        if formal:
            raise
        premises = read_plain_premises(premises_text)
    try:
        return premises, read_hypothesis(hypothesis_text, premises)
    except ParseError:
        return premises, read_plain_hypothesis(hypothesis_text, premises)


def infer_from_independences(args: InferFromIndependencesArgs) -> ToolResult:
    """Decide whether a causal hypothesis is implied by stated (conditional) independences: the Markov equivalence
    class of the DAGs with exactly these independences (faithfulness, no hidden common causes), and the hypothesis
    checked in every member. Use for premises like 'A is independent of C given B' or 'A indep C | B', or in plain
    words ('Exercise and weight are correlated, but they are independent once diet is known')."""
    from fmcgm.discovery.equivalence_class import derivation, equivalence_class, evaluate

    premises, h = read_statements(args.premises, args.hypothesis)
    cls = equivalence_class(premises)
    v = evaluate(h, cls)
    word = "implied" if v.implied else "not implied"
    summary = (f"\u201c{h.sentence}\u201d is {word}: it holds in {v.holds_in} of the {v.members} DAG(s) of the Markov "
               "equivalence class")
    closed = ("the premises say the listed independences are all that hold" if premises.complete
              else "closed world: the listed independences are read as all that hold")
    return ToolResult(ok=True, summary=summary, data=IndependenceData.model_validate({
        "kind": "independence_inference", "answer": "yes" if v.implied else "no", "implied": v.implied,
        "estimand": f"{h.formal()}, in every DAG whose independences are exactly the stated ones",
        "method": METHOD,
        "assumptions": ["faithfulness: the independences are exactly those the causal DAG implies",
                        "causal sufficiency: no unobserved common causes", "acyclicity", closed],
        "derivation": derivation(cls, v),
        "hypothesis": {"kind": h.kind, "x": h.x, "y": h.y, "sentence": h.sentence},
        "members": v.members, "holds_in": v.holds_in,
        "counterexample": [list(e) for e in v.counterexample] if v.counterexample is not None else None,
        "cpdag": {"nodes": list(cls.variables), "directed": [list(e) for e in sorted(cls.compelled)],
                  "undirected": [sorted(p) for p in sorted(cls.reversible, key=sorted)]},
        "colliders": [c.text() for c in cls.colliders]}))
