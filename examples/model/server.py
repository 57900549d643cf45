"""An OpenAI-compatible chat-completions server that answers from a script, on 127.0.0.1.

Each answer is a function of the request, so a script can point at "the button named Sign in"
instead of a fixed element number: `find` reads the numbered observation the agent sent. Answers
are returned as tool calls (what instructor's TOOLS mode asks for), with token usage, so the real
openai + instructor stack runs end to end. `raw(...)` answers with arguments as given, malformed or
not, to exercise the retry path.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

__all__ = ["Responder", "ScriptedModel", "find", "raw", "reply", "user_text"]

Responder = Callable[[dict[str, Any]], Any]


class raw(str):
    """Tool-call arguments sent verbatim (not JSON-encoded)."""


def reply(**arguments: Any) -> Responder:
    """A fixed answer."""
    return lambda request: arguments


def user_text(request: dict[str, Any]) -> str:
    """The text of the last user message (which carries the observation)."""
    for message in reversed(request.get("messages", [])):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return "\n".join(part.get("text", "") for part in content if part.get("type") == "text")
            return str(content)
    return ""


_LINE = re.compile(r'^\[(\d+)\] (\S+)(?: ("(?:[^"\\]|\\.)*"))?(.*)$')


def find(request: dict[str, Any], name: str, role: str | None = None, *, contains: bool = False) -> int:
    """The number of the element whose name (or text) is `name` (and role is `role`) in the observation."""
    text = user_text(request)
    page = text[text.find("Current page:") :] if "Current page:" in text else text
    for line in page.splitlines():
        match = _LINE.match(line)
        if not match or not match.group(3):
            continue
        label = json.loads(match.group(3))
        if role is not None and match.group(2) != role:
            continue
        if label == name or (contains and name in label):
            return int(match.group(1))
    raise LookupError(f"no element {role or ''} {name!r} in the observation:\n{page}")


class ScriptedModel:
    """`with ScriptedModel() as model: model.script(responder, ...)`; `model.url` is the OpenAI base URL."""

    def __init__(self, model_name: str = "gpt-4o-mini") -> None:
        self.model_name = model_name
        self.requests: list[dict[str, Any]] = []
        self.usage: list[dict[str, int]] = []
        """The token counts answered to each request, in order (zeros for an error answer)."""
        self.errors: list[str] = []
        self._script: deque[Responder | str] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def script(self, *answers: Responder | str) -> ScriptedModel:
        with self._lock:
            self._script.extend(answers)
        return self

    @property
    def remaining(self) -> int:
        return len(self._script)

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> Self:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                status, payload = owner._answer(self.path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not path.rstrip("/").endswith("/chat/completions"):
            return 404, {"error": {"message": f"no route {path}"}}
        with self._lock:
            self.requests.append(body)
            if not self._script:
                self.errors.append("script exhausted")
                self.usage.append({"prompt_tokens": 0, "completion_tokens": 0})
                return 500, {"error": {"message": "the scripted model has no answer left", "type": "server_error"}}
            responder = self._script.popleft()
        try:
            answer = responder if isinstance(responder, str) else responder(body)
        except Exception as exc:  # noqa: BLE001 - a script bug is reported to the test, not swallowed
            self.errors.append(f"{type(exc).__name__}: {exc}")
            with self._lock:
                self.usage.append({"prompt_tokens": 0, "completion_tokens": 0})
            return 500, {"error": {"message": f"script error: {exc}", "type": "server_error"}}
        arguments = answer if isinstance(answer, str) else json.dumps(answer)
        tools = body.get("tools") or [{"function": {"name": "answer"}}]
        name = tools[0]["function"]["name"]
        prompt_tokens = len(json.dumps(body.get("messages", []))) // 4
        completion_tokens = max(1, len(arguments) // 4)
        with self._lock:
            self.usage.append({"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens})
        return 200, {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model") or self.model_name,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {"id": f"call_{len(self.requests)}", "type": "function", "function": {"name": name, "arguments": arguments}}
                        ],
                    },
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
