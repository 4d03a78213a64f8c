"""No string literal stands for a query kind, a claim, an outcome or an error code in a comparison: the
product compares with the enum members (fmcgm.vocabulary, fmcgm.errors.ErrorCode), so a renamed or
misspelt value is an AttributeError at import, not a comparison that is silently always false.

Read from the source (ast). A comparison is flagged when one side is a str constant (or a tuple, list or
set of them) equal to a member's value and the other side is about one of those fields: an attribute, a
``.get("…")`` or a ``["…"]`` named kind / claim / outcome / code, or a name annotated with one of the enums.
Plain local names are not flagged: the reader's own sentence-pattern labels ("marginal", "joint", …) and a
finding's severity "error" share spellings with the vocabulary without being it.
"""

from __future__ import annotations

import ast
from pathlib import Path

from fmcgm.errors import ErrorCode
from fmcgm.vocabulary import Claim, EstimandKind, Outcome, QueryKind

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("fmcgm", "agent", "tools", "prompts")
ENUMS = {e.__name__: e for e in (QueryKind, EstimandKind, Claim, Outcome, ErrorCode)}
# a field named "kind" is a query's kind or an estimand's (Estimand.kind, the tool JSON's identification.kind)
KIND = frozenset({*QueryKind, *EstimandKind})
FIELDS = {"kind": KIND, "claim": Claim, "outcome": Outcome, "code": ErrorCode, "error_code": ErrorCode}


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _annotated(tree: ast.AST) -> dict[int, dict[str, type]]:
    """For each function (by id), its parameters and local names annotated with one of the enums."""
    out: dict[int, dict[str, type]] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names: dict[str, type] = {}
            args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
            pairs = [(a.arg, a.annotation) for a in args] + [
                (n.target.id, n.annotation) for n in ast.walk(fn) if isinstance(n, ast.AnnAssign)
                and isinstance(n.target, ast.Name)]
            for name, ann in pairs:
                enum = ENUMS.get(ast.unparse(ann).split("|")[0].strip().split(".")[-1]) if ann is not None else None
                if enum is not None:
                    names[name] = enum
            out[id(fn)] = names
    return out


def _field(node: ast.expr, scope: dict[str, type]) -> type | None:
    """The enum a compared expression stands for, when the expression names it."""
    if isinstance(node, ast.Attribute):
        return FIELDS.get(node.attr)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args \
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return FIELDS.get(node.args[0].value)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        return FIELDS.get(node.slice.value)
    if isinstance(node, ast.Name):
        return scope.get(node.id)
    return None


def literal_comparisons(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    scopes = _annotated(tree)
    found = []

    def visit(node: ast.AST, scope: dict[str, type]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope = {**scope, **scopes[id(node)]}
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for side in sides:
                values = set(_strings(side))
                others = [_field(s, scope) for s in sides if s is not side]
                if any(enum is not None and values & {m.value for m in enum} for enum in others):
                    found.append((node.lineno, ast.get_source_segment(source, node) or ast.unparse(node)))
                    break
        for child in ast.iter_child_nodes(node):
            visit(child, scope)

    visit(tree, {})
    return found


def test_the_check_sees_what_it_should():
    src = '''
def f(q, claim: Claim, res, kind):
    a = q.kind == "ate"
    b = claim in ("positive", "negative")
    c = res.get("code") != "cycle"
    d = res["outcome"] == "declined"
    e = kind == "marginal"          # a plain local label: not flagged
    g = f.severity == "error"       # not a vocabulary field
    h = q.kind == QueryKind.ATE     # the member: fine
    i = q.kind == "path"            # no member spells it
    j = est.kind == "backdoor"      # an estimand's kind
'''
    assert [line for line, _ in literal_comparisons(src)] == [3, 4, 5, 6, 11]


def test_the_product_compares_vocabulary_with_members_not_strings():
    bad = []
    for package in (*PRODUCT, "evals"):  # the benchmarks grade on the same vocabulary
        for path in sorted((ROOT / package).rglob("*.py")):
            bad += [f"{path.relative_to(ROOT)}:{line}: {text}"
                    for line, text in literal_comparisons(path.read_text(encoding="utf-8"))]
    assert not bad, "string literals compared with a query kind, claim, outcome or error code:\n" + "\n".join(bad)


def test_the_outcome_values_of_the_state_are_the_enums():
    from typing import get_args, get_type_hints

    from agent.answer import ErrorKind
    from agent.state import AgentState
    from fmcgm.vocabulary import OutcomeValue

    assert set(get_args(OutcomeValue)) == {o.value for o in Outcome}
    hints = get_type_hints(AgentState)
    assert hints["outcome"] == OutcomeValue and set(get_args(hints["error_kind"])) == {ErrorKind, type(None)}
