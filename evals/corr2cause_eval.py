"""Corr2Cause(++) benchmark: stated independences + a hypothesis → implied or not, scored against the labels.

Input: a JSON array (or JSON lines) of records with ``label`` (1 implied, 0 not) and the problem as ``query``
(or ``input``, or ``premise`` + ``hypothesis``).  The test splits of Corr2Cause++ have this shape:
``Corr2Cause++/test_split{1,2,3}/test.json`` and ``data/processed/c2cpSplit*/*_json/test.json`` of
https://github.com/MarkusEnglberger/Corr2Cause_PP (the processed files wrap the same problem in an
instruction prompt; only the part from "Premise:" to the end of the hypothesis line is read).  The files
carry no licence, so none is copied into this repository: pass ``--data FILE``.

Each problem goes through the agent's ``infer_from_independences`` tool (``through="agent"``: through the
whole agent, ``agent.graph.run_question``).  The report has precision, recall, F1 and accuracy (positive =
implied) overall and by relation type, and every miss with its derivation, a brute-force check of the class
(every orientation of the skeleton, no collider rule used) and, where the record carries the benchmark's
``forced_edges``, what the hypothesis says on those edges alone (the rule the Corr2Cause++ labels follow).

Run with ``fmcgm eval corr2cause --data FILE [--limit N] [--json OUT]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fmcgm.discovery.equivalence_class import ClassTooLargeError, equivalence_class, holds, members_by_brute_force
from fmcgm.discovery.independence_statements import read_problem, split_problem
from fmcgm.errors import FMCGMError, ParseError

Through = Literal["tool", "agent"]


def load_records(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records of a JSON array or JSON-lines file; each one checked for a label and a problem text."""
    p = Path(path)
    if not p.is_file():
        raise ParseError(f"no data file at {p}", "pass --data PATH to a Corr2Cause(++) test.json")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ParseError(f"{p}: not UTF-8 text (undecodable byte at offset {e.start})", "save the file as UTF-8") from None
    try:
        rows = json.loads(text) if text.lstrip().startswith("[") else [
            json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError as e:
        raise ParseError(f"{p}: not JSON or JSON lines ({e})", "pass a Corr2Cause(++) test.json") from None
    out = []
    for i, r in enumerate(rows):
        if not isinstance(r, dict):
            raise ParseError(f"{p}: record {i} is not an object", "each record is an object with label and query")
        out.append({**r, "index": i, "problem": problem_text(r, f"{p}: record {i}"), "gold": _label(r, f"{p}: record {i}")})
        if limit and len(out) >= limit:
            break
    return out


def _label(r: dict[str, Any], where: str) -> int:
    v = r.get("label")
    if isinstance(v, bool) or v in (0, 1):
        return int(v)
    if isinstance(v, str) and v.strip().lower() in ("yes", "no", "1", "0"):
        return int(v.strip().lower() in ("yes", "1"))
    raise ParseError(f"{where}: label {v!r} is not 0/1", "label 1 means implied, 0 not implied")


def problem_text(r: dict[str, Any], where: str) -> str:
    """'Premise: … Hypothesis: …' out of a record (an instruction prompt around it is left out)."""
    if isinstance(r.get("premise"), str) and isinstance(r.get("hypothesis"), str):
        return f"Premise: {r['premise']}\nHypothesis: {r['hypothesis']}"
    q = r.get("query", r.get("input"))
    if not isinstance(q, str):
        raise ParseError(f"{where}: no query, input or premise+hypothesis", "each record needs the problem text")
    start, hyp = q.find("Premise:"), q.rfind("Hypothesis:")
    if start < 0 or hyp < start:
        raise ParseError(f"{where}: no 'Premise: … Hypothesis: …' in the text", "each problem has both parts")
    end = q.find("\n\n", hyp)
    return q[start:end if end >= 0 else len(q)].strip()


def _through_tool(text: str) -> dict[str, Any]:
    from fmcgm.discovery.plain_independence import split_plain
    from tools import call_tool
    from tools.independence_tools import FORMAL_MARKS

    try:
        premises, hypothesis = split_problem(text)
    except FMCGMError as e:
        if FORMAL_MARKS.search(text):
            return {"ok": False, "error": {"code": e.code, "message": e.message}}
        try:  # plain words: the tool reads them (or declines, naming the sentence)
            premises, hypothesis = split_plain(text)
        except FMCGMError as e2:
            return {"ok": False, "error": {"code": e2.code, "message": e2.message}}
    return call_tool("infer_from_independences", {"premises": premises, "hypothesis": hypothesis})


def _through_agent(text: str, app: Any) -> dict[str, Any]:
    from agent.graph import run_question

    state = run_question(text, app=app)
    ans = state["answer"]
    if not ans.get("computed"):
        return {"ok": False, "error": {"code": "not_computed", "message": ans.get("error") or ans.get("text")}}
    steps = reversed(state.get("trace") or [])
    tool: dict[str, Any] = next((s["result"] for s in steps if s.get("tool") == "infer_from_independences"), {})
    return {"ok": True, "data": {**(tool.get("data") or {}), "answer": ans.get("answer")}}


def explain_miss(rec: dict[str, Any]) -> dict[str, Any]:
    """Why a prediction and a label differ: the class by brute force, and the label's rule on forced edges."""
    out: dict[str, Any] = {}
    try:
        p = read_problem(rec.get("formal_problem") or rec["problem"])
        cls = equivalence_class(p.premises)
        brute = members_by_brute_force(p.premises)
    except (FMCGMError, ClassTooLargeError) as e:
        return {"check": f"no independent check: {e}"}
    good = sum(holds(p.hypothesis, m)[0] for m in brute)
    same = set(brute) == set(cls.members)
    out["check"] = (f"brute force over all orientations of the skeleton: {len(brute)} DAG(s) have exactly the stated "
                    f"independences ({'the same' if same else 'NOT the same'} as the enumerated class); the hypothesis "
                    f"holds in {good} of them")
    forced = rec.get("formal_forced_edges", rec.get("forced_edges"))
    if isinstance(forced, list):
        fe = frozenset((str(a), str(b)) for a, b in forced)
        on_forced, why, _ = holds(p.hypothesis, fe)
        shown = ", ".join(f"{a} \u2192 {b}" for a, b in sorted(fe)) or "none"
        out["label_basis"] = (f"the record's forced_edges [{shown}] {'equal' if fe == cls.compelled else 'DIFFER FROM'} "
                              f"the compelled edges; on those edges alone the hypothesis is "
                              f"{'true' if on_forced else 'false'} ({why}) \u2014 the label ({rec['gold']}) follows that "
                              f"rule, which ignores relations that hold in every member through edges whose "
                              f"direction varies between members")
    return out


def evaluate(records: list[dict[str, Any]], through: Through = "tool", console: Console | None = None) -> dict[str, Any]:
    app = None
    if through == "agent":
        from agent.graph import build_graph

        app = build_graph()
    t0 = time.perf_counter()
    rows = []
    for rec in records:
        res = _through_tool(rec["problem"]) if through == "tool" else _through_agent(rec["problem"], app)
        data = res.get("data") or {}
        predicted = (1 if data.get("answer") == "yes" else 0) if res.get("ok") else None
        err = None if res.get("ok") else (res.get("error") or {}).get("message", "the tool failed")
        hyp = data.get("hypothesis") or {}
        rows.append({"index": rec["index"], "relation_type": rec.get("relation_type") or hyp.get("kind") or "unknown",
                     "label": rec["gold"], "predicted": predicted, "error": err,
                     "correct": predicted == rec["gold"], "derivation": data.get("derivation") or [],
                     "compelled": data.get("cpdag", {}).get("directed"),
                     "forced_edges": rec.get("forced_edges")})
    seconds = time.perf_counter() - t0
    misses = []
    for row, rec in zip(rows, records, strict=True):
        if not row["correct"]:
            misses.append({**{k: row[k] for k in ("index", "relation_type", "label", "predicted", "error", "derivation")},
                           "problem": rec["problem"], **({"families": rec["families"]} if "families" in rec else {}),
                           **explain_miss(rec)})
    agree = [sorted(map(tuple, r["forced_edges"])) == sorted(map(tuple, r["compelled"]))
             for r in rows if isinstance(r["forced_edges"], list) and r["compelled"] is not None]
    by: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by[r["relation_type"]].append(r)
    return {"n": len(rows), "through": through, **scores(rows), "seconds": seconds,
            "errors": sum(r["error"] is not None for r in rows),
            "right": sum(r["correct"] for r in rows), "declined": sum(r["predicted"] is None for r in rows),
            "wrong": sum(r["predicted"] is not None and not r["correct"] for r in rows),
            "compelled_equal_forced_edges": [sum(agree), len(agree)] if agree else None,
            "by_relation_type": {k: scores(v) for k, v in sorted(by.items())}, "misses": misses,
            "results": [{k: r[k] for k in ("index", "relation_type", "label", "predicted", "correct", "error")}
                        for r in rows]}


def paraphrase_records(records: list[dict[str, Any]], split: str = "heldout", seed: int = 0) -> list[dict[str, Any]]:
    """The records with each problem rewritten in plain words from the phrasing families of ``split``
    (:mod:`evals.corr2cause_paraphrase`); the formal text is kept for the checks of a miss."""
    from evals.corr2cause_paraphrase import paraphrase_record

    out = []
    for rec in records:
        para = paraphrase_record(rec, split, seed)
        named: dict[str, Any] = {}
        if isinstance(rec.get("forced_edges"), list):  # the benchmark's edges, in the names of the rewriting
            named = {"formal_forced_edges": rec["forced_edges"],
                     "forced_edges": [[para.names.get(str(a), a), para.names.get(str(b), b)] for a, b in rec["forced_edges"]]}
        out.append({**rec, **named, "formal_problem": rec["problem"], "problem": para.text, "families": list(para.families)})
    return out


def evaluate_paraphrase(records: list[dict[str, Any]], split: str = "heldout", seed: int = 0,
                        through: Through = "tool") -> dict[str, Any]:
    """Plain-word versions of the records through the tool (or the agent): right / declined / wrong against the
    label, and how many plain-word answers differ from the answer to the formal text (reader errors)."""
    plain = paraphrase_records(records, split, seed)
    report = evaluate(plain, through=through)
    formal = {r["index"]: r for r in evaluate(records, through="tool")["results"]}
    differ = [r["index"] for r in report["results"]
              if r["predicted"] is not None and r["predicted"] != formal[r["index"]]["predicted"]]
    report.update(paraphrase={"split": split, "seed": seed}, differs_from_formal=differ,
                  examples=[p["problem"] for p in plain[:3]])
    return report


def scores(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision, recall, F1 (positive = implied; an error counts as 'not implied') and accuracy."""
    tp = sum(r["predicted"] == 1 and r["label"] == 1 for r in rows)
    fp = sum(r["predicted"] == 1 and r["label"] == 0 for r in rows)
    fn = sum(r["predicted"] != 1 and r["label"] == 1 for r in rows)
    tn = sum(r["predicted"] == 0 and r["label"] == 0 for r in rows)
    n = len(rows)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": n, "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall, "f1": f1,
            "accuracy": (tp + tn) / n if n else 0.0}


def print_report(report: dict[str, Any], console: Console | None = None, title: str = "Corr2Cause") -> None:
    console = console or Console()
    t = Table(title=f"{title}: implied / not implied ({report['through']})")
    for c in ("relation type", "n", "precision", "recall", "F1", "accuracy"):
        t.add_column(c, justify="left" if c == "relation type" else "right")
    for k, m in report["by_relation_type"].items():
        t.add_row(k, str(m["n"]), f"{m['precision']:.4f}", f"{m['recall']:.4f}", f"{m['f1']:.4f}", f"{m['accuracy']:.4f}")
    t.add_row("[bold]all", str(report["n"]), f"{report['precision']:.4f}", f"{report['recall']:.4f}",
              f"[bold]{report['f1']:.4f}", f"{report['accuracy']:.4f}")
    console.print(t)
    agree = report.get("compelled_equal_forced_edges")
    if "paraphrase" in report:
        console.print(f"plain words, {report['paraphrase']['split']} phrasing families (seed {report['paraphrase']['seed']}): "
                      f"right {report['right']}, declined {report['declined']}, wrong {report['wrong']} of {report['n']}; "
                      f"answers that differ from the formal text's: {len(report['differs_from_formal'])}")
    console.print(f"{report['n'] - len(report['misses'])}/{report['n']} correct, {report['errors']} error(s), "
                  f"in {report['seconds']:.1f} s"
                  + (f"; compelled edges equal the records' forced_edges in {agree[0]}/{agree[1]}" if agree else ""))
    for m in report["misses"]:
        console.print(f"\n[bold]miss: record {m['index']}[/] ({m['relation_type']}): label {m['label']}, "
                      f"predicted {m['predicted']}" + (f", error: {escape(m['error'])}" if m["error"] else ""))
        console.print(escape(m["problem"]), soft_wrap=True)
        for line in m["derivation"]:
            console.print(f"  {escape(line)}", soft_wrap=True)
        for key in ("check", "label_basis"):
            if m.get(key):
                console.print(f"  {key.replace('_', ' ')}: {escape(m[key])}", soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    argv = argv if argv is not None else sys.argv[1:]
    if not argv:
        print("usage: python -m evals.corr2cause_eval FILE [OUT.json]", file=sys.stderr)
        return 2
    report = evaluate(load_records(argv[0]))
    print_report(report)
    if len(argv) > 1:
        Path(argv[1]).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
