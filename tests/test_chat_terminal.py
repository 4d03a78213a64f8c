"""`fmcgm chat` driven through a pseudo-terminal: a question, a follow-up, /trace, /new, /quit."""

import os
import signal
import sys
from pathlib import Path

import pexpect
from test_agent import Q

from fmcgm.app.examples import APP_EXAMPLES

ROOT = Path(__file__).resolve().parents[1]
FRONTDOOR = dict(APP_EXAMPLES)["Front-door (hidden confounder)"]


def test_terminal_chat_session(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "TERM": "dumb"}
    child = pexpect.spawn(sys.executable, ["-m", "fmcgm.cli", "chat", "--trace-db", str(tmp_path / "t.sqlite")],
                          cwd=str(tmp_path), env=env, encoding="utf-8", timeout=120, dimensions=(60, 120),
                          # started with SIGINT ignored, as some parents do: Ctrl-C must still work
                          preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        child.expect(r"thread (\w{12})")
        thread = child.match.group(1)
        child.expect("you>")
        child.sendline(FRONTDOOR)
        child.expect("tool propose_edges")  # steps print as they happen
        child.expect("critique round 1: approved")
        child.expect(r"answer: yes\s+value 0\.1680")
        child.expect("committed graph:")
        child.expect(r"smoking \[do\] → tar \[changes\]")
        child.expect("you>")
        child.sendline("What about the weather tomorrow?")  # a follow-up on the same thread
        child.expect("not computed")
        child.expect("you>")
        child.sendline("/trace")
        child.expect(f"steps \\(thread {thread}\\)")
        child.expect("estimate_effect")
        child.expect("you>")
        child.sendline("/backend nope")
        child.expect("unknown backend nope")
        child.expect("you>")
        child.sendintr()  # Ctrl-C at the prompt ends nothing
        child.expect("type /quit to leave")
        child.sendline("/new")
        child.expect(r"new thread (\w{12})")
        assert child.match.group(1) != thread
        child.expect("you>")
        child.sendline(Q)
        child.expect("answer: yes")
        child.expect("you>")
        child.sendline("/quit")
        child.expect("bye")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
