"""Before any route: secrets are refused in query strings (URLs end up in proxies' and browsers' logs), and
each request is logged as method, path, status and time: never its query string, headers or body."""

from __future__ import annotations

import json
import logging
import re
import time
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["RequestGuard"]

access = logging.getLogger("encore.server.access")

# Parameter names that carry credentials or secrets; the API has no query parameter by these names.
_SECRET_NAMES = re.compile(
    r"(?i)^(.*[_-])?(key|apikey|api_key|token|access_token|secret|secrets|password|passwd|pwd|auth|authorization"
    r"|credential|credentials|session)$"
)


class RequestGuard:
    def __init__(self, app: ASGIApp, *, log_requests: bool = True) -> None:
        self.app, self.log_requests = app, log_requests

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        offending = sorted({name for name, _ in parse_qsl(query, keep_blank_values=True) if _SECRET_NAMES.match(name)})
        if offending:
            await _refuse(send, offending)
            self._log(scope, 400, time.perf_counter())
            return
        started = time.perf_counter()
        status = 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            self._log(scope, status, started)

    def _log(self, scope: Scope, status: int, started: float) -> None:
        if self.log_requests:
            access.info("%s %s %d %.1fms", scope["method"], scope["path"], status, (time.perf_counter() - started) * 1000)


async def _refuse(send: Send, names: list[str]) -> None:
    detail = (
        f"query parameter {', '.join(names)}: secrets and API keys are never accepted in a URL; send the key in "
        "the Authorization header and secrets in the request body"
    )
    body = json.dumps({"detail": detail}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
