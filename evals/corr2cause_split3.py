"""Rebuild Corr2Cause++ ``test_split3/test.json`` from the benchmark's own generator.

The stored copy of https://github.com/MarkusEnglberger/Corr2Cause_PP lacks every split-3 test file
(too large for the store), but it has the generator (``scripts/create_c2cp.py``, seeded: ``random.seed(0)``,
letters from ``random.Random(42)``), the preprocessing (``scripts/data_preprocessing.py``: split 3 is
``create_c2cp.py -n 7 -m 180 -r``, then train = the first 1 %, validation = the next 1 %, test = the rest)
and split 3's train and validation files.  This script runs *their* generator (imported from the path
given, nothing of it is copied here) and replaces one function, ``generate_all_dags``, whose
Markov-equivalence grouping compares each sampled DAG's independences with every relabelling of every
other (180 x 5,040 x 180 list comparisons, hours in Python), by an equivalent one: the grouping only
needs "some relabelling of DAG a has the independences of DAG b", which we decide by a canonical form of
the CPDAG (their own ``get_cpdag``) under all 5,040 relabellings, and then confirm on the independence
lists themselves.  Every random draw happens in the same order as in their code, so the output is the
same file — checked against the stored train and validation records (``--check``).

    python -m evals.corr2cause_split3 --script /path/Corr2Cause_PP/scripts/create_c2cp.py \
        --out test_split3.json [--check flash_json_dir]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from itertools import chain, combinations, permutations
from pathlib import Path
from types import ModuleType
from typing import Any


def _load(script: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("create_c2cp", script)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {script}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # seeds random (0) and letter_rng (42) as their run did
    return module


def _canonical(cpdag: dict[str, Any], n: int) -> tuple[Any, ...]:
    directed = list(cpdag["directed"])
    undirected = [tuple(e) for e in cpdag["undirected"]]
    best: tuple[Any, ...] | None = None
    for perm in permutations(range(1, n + 1)):
        p = (0, *perm)
        form = (tuple(sorted((p[a], p[b]) for a, b in directed)),
                tuple(sorted(tuple(sorted((p[a], p[b]))) for a, b in undirected)))
        if best is None or form < best:
            best = form
    assert best is not None
    return best


def _isomorphic(ci_a: list[Any], ci_b: list[Any], n: int) -> bool:
    if len(ci_a) != len(ci_b):
        return False
    for perm in permutations(range(1, n + 1)):
        p = (0, *perm)
        if sorted([sorted(p[j] for j in a), sorted(p[j] for j in b)] for a, b in ci_a) == ci_b:
            return True
    return False


def fast_generate_all_dags(gen: ModuleType):
    random = gen.random

    def generate_all_dags(n: int, m: int | None = None):
        all_pairs = [(i, j) for i in range(1, n) for j in range(i + 1, n + 1)]
        all_edge_sets = list(chain.from_iterable(combinations(all_pairs, r) for r in range(len(all_pairs) + 1)))
        if m is not None and m < len(all_edge_sets):
            all_edge_sets = random.sample(all_edge_sets, m)  # the same draw as theirs
        dags: list[Any] = []
        for edges in all_edge_sets:
            dags.append(gen.Dag(idx=len(dags) + 1, edges=list(edges), ci_relations=gen.compute_ci_relations(edges, n),
                                reconstruct_graphs=[], mec_indices=[]))
        del all_edge_sets
        for dag in dags:
            dag.ci_relations.sort()
        variables = list(range(1, n + 1))
        classes: dict[tuple[Any, ...], list[Any]] = {}
        for dag in dags:
            classes.setdefault(_canonical(gen.get_cpdag(variables, dag.ci_relations), n), []).append(dag)
        for members in classes.values():
            for dag in members[1:]:  # the canonical form must agree with the independences themselves
                if not _isomorphic(members[0].ci_relations, dag.ci_relations, n):
                    raise SystemExit(f"canonical CPDAG form disagrees with the independences (DAG {dag.idx})")
            ids = {d.idx for d in members}
            for dag in members:
                dag.mec_indices_ref = set(ids)
        return dags, [], {}

    return generate_all_dags


def release(record: dict[str, Any], dataset: str) -> dict[str, Any]:
    return {"label": record["label"], "relation_type": record["relation_type"],
            "forced_edges": record["forced_edges"],
            "query": f"Premise:\n{record['premise']}\n\nHypothesis: {record['hypothesis']}",
            "num_edges": len(record["forced_edges"]), "dataset": dataset}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--script", type=Path, required=True, help="Corr2Cause_PP/scripts/create_c2cp.py")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--check", type=Path, help="data/processed/c2cpSplit3/flash_json (train.json, validation.json)")
    args = ap.parse_args(argv)
    gen = _load(args.script)
    setattr(gen, "generate_all_dags", fast_generate_all_dags(gen))  # noqa: B010 (a module loaded at run time)
    data = gen.generate_nli_dataset(7, 180, random_letters=True)
    gen.random.shuffle(data)  # main() shuffles once more after the per-n generation
    total = len(data)
    n_train, n_val = int(0.01 * total), int(0.01 * total)
    train, val, test = data[:n_train], data[n_train:n_train + n_val], data[n_train + n_val:]
    print(f"{total} records: train {len(train)}, validation {len(val)}, test {len(test)}")
    if args.check:
        for name, part in (("train", train), ("validation", val)):
            stored = json.loads((args.check / f"{name}.json").read_text())
            mine = [release(r, "c2cpSplit3") for r in part]
            same = len(stored) == len(mine) and all(
                s["query"].rstrip().endswith(m["query"]) and s["label"] == m["label"]
                and s["relation_type"] == m["relation_type"] and [list(e) for e in s["forced_edges"]] == m["forced_edges"]
                for s, m in zip(stored, mine, strict=True))
            print(f"{name}: {len(stored)} stored, {len(mine)} rebuilt, identical: {same}")
            if not same:
                return 1
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("[\n" + ",\n".join(json.dumps(release(r, "c2cpSplit3"), ensure_ascii=False) for r in test) + "\n]")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
