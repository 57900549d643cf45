"""A threaded 127.0.0.1 server for one app: routes are (method, regex) -> handler(request) -> response."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["App", "Request", "Response", "html_page"]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    form: dict[str, list[str]]
    json: Any
    match: re.Match[str]

    def field(self, name: str, default: str = "") -> str:
        return (self.form.get(name) or [default])[0]


@dataclass
class Response:
    body: str = ""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def redirect(cls, location: str) -> Response:
        return cls(status=302, headers={"Location": location})

    @classmethod
    def json_body(cls, data: Any, delay: float = 0.0) -> Response:
        return cls(json.dumps(data), content_type="application/json", delay=delay)


Handler = Callable[[Request], Response]


class App:
    """Routes and state; `with app.serving(): app.url`."""

    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._server: ThreadingHTTPServer | None = None
        self.lock = threading.Lock()

    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append((method, re.compile(pattern + r"\Z"), handler))
            return handler

        return register

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        app = self

        class _Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                app._handle(self, "GET")

            def do_POST(self) -> None:
                app._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
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

    def _handle(self, http: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(http.path)
        length = int(http.headers.get("Content-Length") or 0)
        raw = http.rfile.read(length).decode("utf-8") if length else ""
        kind = http.headers.get("Content-Type") or ""
        form = parse_qs(raw, keep_blank_values=True) if "form" in kind else {}
        body = json.loads(raw) if "json" in kind and raw else None
        for verb, pattern, handler in self.routes:
            found = pattern.match(parts.path)
            if verb == method and found:
                with self.lock:
                    response = handler(Request(method, parts.path, parse_qs(parts.query), form, body, found))
                break
        else:
            response = Response("<h1>Not found</h1>", status=404)
        if response.delay:
            time.sleep(response.delay)
        payload = response.body.encode("utf-8")
        http.send_response(response.status)
        http.send_header("Content-Type", response.content_type)
        http.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers.items():
            http.send_header(name, value)
        http.end_headers()
        http.wfile.write(payload)


def html_page(title: str, body: str, *, head: str = "") -> Response:
    return Response(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>"
    )
