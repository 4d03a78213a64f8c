"""Start `fmcgm serve` in a subprocess on a free loopback port and wait until it answers."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from evals.startup_eval import stop

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Server:
    url: str
    trace_db: Path
    output: Path
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(cmd: list[str], probe: str, log: Path, timeout: float, **popen) -> Iterator[subprocess.Popen]:
    """Run a server command for the block: wait (bounded) until ``probe`` answers 200, fail with its log."""
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, **popen)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited ({proc.returncode}):\n{log.read_text()[-4000:]}")
            try:
                if httpx.get(probe, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {timeout} s:\n{log.read_text()[-4000:]}")
            time.sleep(0.3)
        yield proc
    finally:
        stop(proc)


@contextlib.contextmanager
def start_server(folder: Path, timeout: float = 180.0):
    port = free_port()
    server = Server(f"http://127.0.0.1:{port}/", folder / "traces.sqlite", folder / "out", folder / "server.log")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GRADIO_ANALYTICS_ENABLED": "False"}
    cmd = [sys.executable, "-m", "fmcgm.cli", "serve", "--port", str(port), "--trace-db", str(server.trace_db),
           "--output", str(server.output)]
    with serving(cmd, server.url, server.log, timeout, cwd=folder, env=env):
        yield server
