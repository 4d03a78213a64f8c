"""Local HTTP servers that speak the OpenAI chat-completions and Ollama /api/chat protocols.

They replay a script of replies so the real ``langchain-openai`` and
``langchain-ollama`` clients can be tested without any network beyond
loopback.  A script item is one of:

* ``{"content": "...", "tool_calls": [(name, args)]}`` — args a dict, or a string sent as-is;
* ``{"status": 500}`` — an HTTP error;
* ``{"sleep": seconds, ...}`` — wait before answering (a slow or hung server).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedServer:
    def __init__(self, kind: str, script: list[dict]):
        self.kind = kind
        self.script = list(script)
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):  # keep test output clean
                pass

            def do_POST(self):  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with server._lock:
                    server.requests.append({"path": self.path, "body": body})
                    item = server.script.pop(0) if server.script else {"content": "script exhausted"}
                if item.get("sleep"):
                    time.sleep(item["sleep"])
                if item.get("status"):
                    self._send(item["status"], {"error": {"message": "scripted failure", "type": "server_error"}})
                    return
                if server.kind == "openai":
                    self._send(200, _openai_reply(item, body))
                else:
                    self._send_lines(_ollama_lines(item, body))

            def do_GET(self):  # noqa: N802
                self._send(200, {"models": [], "data": []})

            def _send(self, status, obj):
                self._write(status, json.dumps(obj).encode(), "application/json")

            def _send_lines(self, lines):
                self._write(200, "".join(json.dumps(x) + "\n" for x in lines).encode(), "application/x-ndjson")

            def _write(self, status, data, ctype):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except BrokenPipeError:
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address
        return f"http://{host}:{port}" + ("/v1" if self.kind == "openai" else "")

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _args_text(args) -> str:
    return args if isinstance(args, str) else json.dumps(args)


def _openai_reply(item: dict, body: dict) -> dict:
    calls = [{"id": f"call_{uuid.uuid4().hex[:8]}", "type": "function",
              "function": {"name": n, "arguments": _args_text(a)}} for n, a in item.get("tool_calls", [])]
    msg = {"role": "assistant", "content": item.get("content", "") if not calls else (item.get("content") or None)}
    if calls:
        msg["tool_calls"] = calls
    return {"id": "chatcmpl-" + uuid.uuid4().hex[:8], "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", "scripted"),
            "choices": [{"index": 0, "message": msg, "finish_reason": "tool_calls" if calls else "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120}}


def _ollama_lines(item: dict, body: dict) -> list[dict]:
    calls = [{"function": {"name": n, "arguments": a if isinstance(a, dict) else json.loads(a)}}
             for n, a in item.get("tool_calls", [])]
    msg = {"role": "assistant", "content": item.get("content", "")}
    if calls:
        msg["tool_calls"] = calls
    now = "2026-01-01T00:00:00Z"
    return [{"model": body.get("model", "scripted"), "created_at": now, "message": msg, "done": False},
            {"model": body.get("model", "scripted"), "created_at": now, "message": {"role": "assistant", "content": ""},
             "done": True, "done_reason": "stop", "prompt_eval_count": 100, "eval_count": 20,
             "total_duration": 1000, "load_duration": 1, "prompt_eval_duration": 1, "eval_duration": 1}]
