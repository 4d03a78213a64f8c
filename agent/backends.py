"""Reasoning backends: the offline reasoner, Ollama, any OpenAI-compatible server, a GGUF file in process."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.messages import AIMessage, BaseMessage

from agent.configuration import Settings
from agent.offline_model import OfflineReasoner
from fmcgm.errors import ErrorCode, FMCGMError

if TYPE_CHECKING:  # imported by the real-LLM backends themselves: the offline path never pays for it
    from langchain_core.language_models.chat_models import BaseChatModel


class Invokable(Protocol):
    """What the agent calls of a (tool-bound) model: a LangChain Runnable, or the offline reasoner."""

    def invoke(self, input: Any, config: Any = None, /) -> Any: ...


def make_model(settings: Settings) -> BaseChatModel | OfflineReasoner:
    if settings.backend == "offline":
        return OfflineReasoner()
    if settings.backend == "llamacpp":
        from agent.llamacpp_model import LlamaCppChat

        return LlamaCppChat(model_path=settings.model_path, n_ctx=settings.num_ctx, temperature=settings.temperature,
                            max_tokens=settings.max_tokens or 512)
    if not settings.model:
        raise BackendUnavailable(f"the {settings.backend} backend needs a model name", "pass --model NAME (or FMCGM_MODEL)")
    if settings.backend == "ollama":
        from langchain_ollama import ChatOllama

        # num_ctx is set explicitly: Ollama's small default silently truncates tools and the system prompt
        return ChatOllama(model=settings.model, base_url=settings.server_url(), temperature=settings.temperature,
                          num_ctx=settings.num_ctx, client_kwargs={"timeout": settings.timeout})
    # retries are ours (with backoff and a clear final message), so the client's are off
    return _robust_openai()(model=settings.model, base_url=settings.server_url(), api_key=settings.api_key or "not-needed",
                      temperature=settings.temperature, timeout=settings.timeout, max_retries=0,
                      max_tokens=settings.max_tokens)


class BackendUnavailable(FMCGMError, code=ErrorCode.BACKEND_UNREACHABLE):
    """The model's server cannot be reached or keeps failing (after the retries)."""


def invoke_with_retries(model: Invokable, messages: Sequence[BaseMessage], settings: Settings) -> AIMessage:
    """One model call; transient failures (down, slow, 5xx) are retried with exponential backoff, then reported
    as :class:`BackendUnavailable` naming the server and what to check."""
    for attempt in range(settings.max_retries + 1):
        try:
            reply = model.invoke(messages)
            return reply if isinstance(reply, AIMessage) else AIMessage(content=str(getattr(reply, "content", reply)))
        except FMCGMError:
            raise  # already precise (e.g. a context overflow)
        except Exception as e:  # noqa: BLE001 - any client failure becomes a clear message
            if is_transient(e) and attempt < settings.max_retries:
                time.sleep(settings.retry_backoff * 2 ** attempt)
                continue
            where = settings.server_url() or "the model"
            if is_transient(e):
                raise BackendUnavailable(
                    f"the {settings.backend} server at {where} did not answer after {attempt + 1} attempt(s) "
                    f"({type(e).__name__}: {str(e)[:200]})",
                    "check that it is running and reachable, and that --base-url and --model are right") from None
            raise BackendUnavailable(f"the {settings.backend} model call failed ({type(e).__name__}: {str(e)[:300]})",
                             "check the model name and the server's logs") from None
    raise AssertionError("unreachable")


def is_transient(err: Exception) -> bool:
    """Errors worth retrying: the server is down, slow, or failed internally (5xx)."""
    names = {type(e).__name__ for e in _chain(err)}
    transient = {"ConnectError", "ConnectTimeout", "ReadTimeout", "TimeoutException", "APIConnectionError",
                 "APITimeoutError", "InternalServerError", "ConnectionError", "ConnectionRefusedError",
                 "RemoteProtocolError", "ReadError", "TimeoutError", "ServiceUnavailableError"}
    if names & transient:
        return True
    status = getattr(err, "status_code", None) or getattr(getattr(err, "response", None), "status_code", None)
    return isinstance(status, int) and status >= 500


def _chain(err: BaseException):
    seen = set()
    cur: BaseException | None = err
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__


def _robust_openai():
    """ChatOpenAI that also accepts tool arguments a model JSON-encoded twice (a string holding JSON)."""
    import json

    from langchain_openai import ChatOpenAI

    class RobustChatOpenAI(ChatOpenAI):
        def _create_chat_result(self, response, generation_info=None):
            resp = response if isinstance(response, dict) else response.model_dump()
            for choice in resp.get("choices") or []:
                for tc in (choice.get("message") or {}).get("tool_calls") or []:
                    fn = tc.get("function") or {}
                    try:
                        inner = json.loads(fn.get("arguments") or "{}")
                    except (TypeError, ValueError):
                        continue
                    if isinstance(inner, str):
                        fn["arguments"] = inner
            return super()._create_chat_result(resp, generation_info)

    return RobustChatOpenAI
