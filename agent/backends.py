"""Reasoning backends: the offline reasoner, Ollama, any OpenAI-compatible server."""

from __future__ import annotations

from langchain_core.language_models.chat_models import BaseChatModel

from agent.configuration import Settings
from agent.offline_model import OfflineReasoner
from fmcgm.errors import FMCGMError


def make_model(settings: Settings) -> BaseChatModel:
    if settings.backend == "offline":
        return OfflineReasoner()
    if not settings.model:
        raise FMCGMError(f"the {settings.backend} backend needs a model name", "pass --model NAME (or FMCGM_MODEL)")
    if settings.backend == "ollama":
        from langchain_ollama import ChatOllama

        # num_ctx is set explicitly: Ollama's small default silently truncates tools and the system prompt
        return ChatOllama(model=settings.model, base_url=settings.server_url(), temperature=settings.temperature,
                          num_ctx=settings.num_ctx, client_kwargs={"timeout": settings.timeout})
    # retries are ours (with backoff and a clear final message), so the client's are off
    return _robust_openai()(model=settings.model, base_url=settings.server_url(), api_key=settings.api_key or "not-needed",
                      temperature=settings.temperature, timeout=settings.timeout, max_retries=0)


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
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        yield err
        err = err.__cause__ or err.__context__


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
