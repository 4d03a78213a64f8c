"""Start-up benchmark (``fmcgm eval perf --startup``): how long a person waits for the first result.

Each command runs in a fresh process, as a person starts it: ``fmcgm ask`` on a small story, ``fmcgm render``
of the README example, ``fmcgm serve`` until ``/`` answers, and the first picture the app renders (the
pendulum question sent to ``/ask`` as soon as ``/`` answers).  Wall seconds mean little on a shared machine,
so every row is also given as a ratio against ``python -c pass`` measured in the same run, with the CPU
seconds of the child (user + system, less sensitive to other load than the wall clock), the 1-minute load
average when the row's case started, and the load average before and after the run.  Targets are the wall
seconds on an idle 2-core machine.
"""

from __future__ import annotations

import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evals.rows_file import save_rows

ROOT = Path(__file__).resolve().parents[1]
STORY = ("Smoking causes cancer. 40% of people smoke. Among smokers, 30% get cancer; among non-smokers, 10%. "
         "Does smoking increase the chance of cancer?")
IMAGE_QUESTION = "What would the shadow look like if the light were on the far left?"
TARGETS = {"fmcgm ask (small story)": 1.0, "fmcgm render (README example)": 5.0, "fmcgm serve: / answers": 6.0,
           "app: first render": 4.0}


@dataclass
class Row:
    case: str
    wall_s: float  # median over the repeats
    cpu_s: float | None  # user + system of the child process (median); None where not one child's own
    ratio: float  # wall_s / the median wall of `python -c pass`
    target_s: float | None
    runs: int
    note: str = ""
    load: float | None = None  # 1-minute load average when the case started (other processes on the machine)


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])])
    env["FMCGM_OUTPUT_DIR"] = str(folder / "out")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def _timed_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one child process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc.returncode


def _repeat(cmd: list[str], env: dict[str, str], runs: int, ok=(0,)) -> tuple[float, float, str]:
    walls, cpus, note = [], [], ""
    for _ in range(runs):
        wall, cpu, code = _timed_run(cmd, env)
        walls.append(wall)
        cpus.append(cpu)
        if code not in ok:
            note = f"exit code {code}"
    return statistics.median(walls), statistics.median(cpus), note


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict[str, str], folder: Path, app_render: bool, timeout: float = 300.0) -> tuple[float, float | None, str]:
    """Seconds from starting `fmcgm serve` until `/` answers 200; then, if asked, the seconds of the first
    picture rendered through the app's /ask endpoint, sent as soon as the client has read the app's config (as a
    browser loads the page before a question can be asked). The note says how long that took after `/`: the
    server's warm-up runs meanwhile, so a slow config read shortens the first render."""
    import httpx

    port = _free_port()
    cmd = [sys.executable, "-m", "fmcgm.cli", "serve", "--port", str(port), "--trace-db", str(folder / "serve.sqlite"),
           "--output", str(folder / "out")]
    url = f"http://127.0.0.1:{port}/"
    with open(folder / "serve.log", "w") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        while True:
            if proc.poll() is not None:
                return float("nan"), None, f"the server exited ({proc.returncode})"
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.perf_counter() - t0 > timeout:
                return float("nan"), None, f"no answer within {timeout:.0f} s"
            time.sleep(0.05)
        up = time.perf_counter() - t0
        if not app_render:
            return up, None, ""
        from gradio_client import Client

        client = Client(url, verbose=False)
        t1 = time.perf_counter()
        payload = client.predict(IMAGE_QUESTION, "startup-bench", api_name="/ask")
        first = time.perf_counter() - t1
        note = "" if payload.get("images") else f"no picture ({payload.get('outcome')}); "
        return up, first, note + f"asked {t1 - t0 - up:.1f} s after / answered"
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """End a server process: terminate, then kill if it has not gone within 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def run_startup(runs: int = 3, app: bool = True) -> tuple[list[Row], dict]:
    load_before = os.getloadavg()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="fmcgm-startup-") as tmp:
        folder = Path(tmp)
        (folder / "out").mkdir()
        env = _env(folder)
        load = _load()
        base, base_cpu, _ = _repeat([sys.executable, "-c", "pass"], env, max(runs, 5))
        rows.append(Row("python -c pass", base, base_cpu, 1.0, None, max(runs, 5), load=load))
        cli = [sys.executable, "-m", "fmcgm.cli"]
        cases = [("fmcgm ask (small story)", [*cli, "ask", "--trace-db", str(folder / "ask.sqlite"), STORY], runs),
                 ("fmcgm --help (import only)", [*cli, "--help"], runs),
                 ("fmcgm render (README example)",
                  [*cli, "render", "--world", "pendulum", "--do", "light=far left"], 1 if runs < 3 else 2)]
        for case, cmd, n in cases:
            load = _load()
            wall, cpu, note = _repeat(cmd, env, n, ok=(0, 1))
            rows.append(Row(case, wall, cpu, wall / base, TARGETS.get(case), n, note, load))
        load = _load()
        up, first, note = _serve(env, folder, app)
        rows.append(Row("fmcgm serve: / answers", up, None, up / base, TARGETS["fmcgm serve: / answers"], 1,
                        note if first is None else "", load))
        if first is not None:
            rows.append(Row("app: first render", first, None, first / base, TARGETS["app: first render"], 1, note,
                            load))
    meta = {"load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    return rows, meta


def print_startup(rows: list[Row], meta: dict, console: Console | None = None) -> None:
    console = console or Console()
    t = Table(title="start-up: fresh processes, wall seconds (median) and the ratio against `python -c pass`")
    for c in ("case", "wall s", "× python -c pass", "CPU s", "target s (idle)", "runs", "load", "note"):
        t.add_column(c)
    for r in rows:
        t.add_row(r.case, f"{r.wall_s:.2f}", f"{r.ratio:.1f}", "" if r.cpu_s is None else f"{r.cpu_s:.2f}",
                  "" if r.target_s is None else f"{r.target_s:g}", str(r.runs), "" if r.load is None else f"{r.load:.1f}",
                  r.note)
    console.print(t)
    console.print(f"load average before {meta['load_before']}, after {meta['load_after']}; {meta['cpus']} CPUs; "
                  f"Python {meta['python']}")


def report(console: Console, json_out: Path | None = None, quick: bool = False) -> list[Row]:
    rows, meta = run_startup(runs=1 if quick else 3, app=not quick)
    print_startup(rows, meta, console)
    if json_out:
        save_rows(json_out, rows, meta, console)
    return rows


if __name__ == "__main__":
    report(Console(), Path(sys.argv[1]) if len(sys.argv) > 1 else None, quick="--quick" in sys.argv)
