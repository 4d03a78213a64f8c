"""A scripted chat model for trajectory tests: replays a fixed list of replies, supports bind_tools."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult


class ScriptedModel(BaseChatModel):
    replies: list[Any]
    seen: list[Any] = []
    loop_last: bool = False

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools, **kwargs):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.seen.append(list(messages))
        i = len(self.seen) - 1
        reply = self.replies[min(i, len(self.replies) - 1)] if self.loop_last else self.replies[i]
        if isinstance(reply, AIMessage):
            reply = AIMessage(content=reply.content, tool_calls=[{**tc, "id": f"{tc['id']}_{i}"} for tc in reply.tool_calls])
        return ChatResult(generations=[ChatGeneration(message=reply)])


def call(name: str, args: Any, cid: str = "c") -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": cid, "type": "tool_call"}])
