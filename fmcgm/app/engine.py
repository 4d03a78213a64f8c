"""What sessions share: the trace store (the SQLite file ``fmcgm trace`` reads) and one compiled
agent per settings. A compiled LangGraph app keeps no per-run state, so tabs and concurrent
questions share it safely; each conversation is its own thread id in the store."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Generator

from agent.configuration import Settings
from agent.traces import open_store
from fmcgm.app.answer import error_answer, read_answer
from fmcgm.app.turns import StepEvent, TurnEnd, stream_turn


def new_thread_id() -> str:
    return uuid.uuid4().hex[:12]


class Engine:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = open_store(settings.trace_db)
        self._agents: dict[str, object] = {}
        self._lock = threading.Lock()

    def agent(self, settings: Settings | None = None):
        """The compiled agent for these settings (built once; raises when the backend cannot be configured)."""
        from agent.graph import build_graph

        s = settings or self.settings
        key = s.model_dump_json()
        with self._lock:
            if key not in self._agents:
                self._agents[key] = build_graph(settings=s, checkpointer=self.store)
            return self._agents[key]

    @property
    def reader(self):
        """An agent for reading the store only (offline, so a misconfigured backend cannot block the trace tab)."""
        return self.agent(self.settings.model_copy(update={"backend": "offline"}))

    def turn(self, question: str, thread_id: str, settings: Settings | None = None) -> Generator[StepEvent | TurnEnd, None, None]:
        """Stream one turn; a backend that cannot even be configured ends the turn with that message."""
        s = settings or self.settings
        try:
            agent = self.agent(s)
        except Exception as e:  # noqa: BLE001 - shown to the person as the turn's error
            state = error_answer(question, thread_id, f"the {s.backend} backend cannot be used: {e}", "input")
            yield TurnEnd(answer=read_answer(state), graph=None, committed=False, intervened=[])
            return
        yield from stream_turn(agent, question, thread_id, s.recursion_limit)

    def ask(self, question: str, thread_id: str, settings: Settings | None = None) -> TurnEnd:
        """Run one turn to the end (the /ask endpoint and scripts)."""
        end = None
        for ev in self.turn(question, thread_id, settings):
            if isinstance(ev, TurnEnd):
                end = ev
        assert end is not None  # stream_turn always ends with a TurnEnd
        return end
