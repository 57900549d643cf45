"""A sign-in site built the way leaky real ones are, served on 127.0.0.1, for the hostile-input suite.

The login form posts (or, with `method="get"`, puts the password in the URL). The page's own scripts
do what real pages do with a typed password: a strength meter echoes it into the page text and into
another field's `value` attribute, a check posts it as JSON (non-ASCII left as is), and an API call sends
it with HTTP Basic auth. `shown=True` turns the password field into a text field ("show password"); `button` swaps the submit
button for another (a redesign), or removes it.
Every password the server receives is kept in `received`, so a test can prove a site never got one.
"""

from __future__ import annotations

import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, urlsplit

__all__ = ["Vault"]

_LOGIN = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Vault</title></head>
<body><main>
<h1>Sign in to the vault</h1>
<form id="login" method="{method}" action="/session">
  <label>User <input id="user" name="user" autocomplete="username"></label>
  <label>Password <input id="password" name="password" type="{kind}"></label>
  {echo}
  {button}
</form>
</main>
<script>
const field = document.getElementById("password");
field.addEventListener("input", () => {{
  const value = field.value;
  const user = document.getElementById("user").value;
  const echo = document.getElementById("echo");
  if (echo) {{
    echo.textContent = "Strength of " + value + ": weak";
    document.getElementById("mirror").setAttribute("value", value);
  }}
  fetch("/api/check", {{method: "POST", headers: {{"Content-Type": "application/json"}},
                       body: JSON.stringify({{password: value}})}});
  fetch("/api/basic", {{headers: {{Authorization: "Basic " + btoa(unescape(encodeURIComponent(user + ":" + value)))}}}});
}});
</script>
</body></html>"""
_ECHO = '<p><output id="echo">Strength: none</output></p><label>Copy <input id="mirror" readonly></label>'
_BUTTONS = {
    "Sign in": '<button id="sign-in" type="submit">Sign in</button>',
    "Help": '<button id="help" type="button">Help</button>',  # a redesign: the sign-in button is gone
    "Delete": '<button id="delete" type="button" onclick="this.form.dataset.deleted = 1">Delete account</button>',
}
_HOME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Vault</title></head>
<body><main><h1>Welcome, {user}</h1><p id="status">Signed in</p>
<form><button type="button" id="delete" onclick="this.textContent='Deleted'">Delete everything</button></form>
</main></body></html>"""


class Vault:
    """`with Vault(password) as site: site.url`; options change the page the way sites differ or drift."""

    def __init__(
        self,
        password: str,
        *,
        method: str = "post",
        echo: bool = True,
        shown: bool = False,
        button: str | None = "Sign in",
        login_redirect: str | None = None,
    ) -> None:
        self.password = password
        self.method, self.echo, self.shown, self.button = method, echo, shown, button
        self.login_redirect = login_redirect
        self.received: list[str] = []
        """Every password value this server was sent, from any form, body or header."""
        owner = self

        class Handler(_Handler):
            site = owner

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def login_page(self) -> str:
        return _LOGIN.format(
            method=self.method,
            kind="text" if self.shown else "password",
            echo=_ECHO if self.echo else "",
            button=_BUTTONS[self.button] if self.button else "",
        )


class _Handler(BaseHTTPRequestHandler):
    site: Vault

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/login":
            if self.site.login_redirect:
                return self._send(302, "", {"Location": self.site.login_redirect})
            return self._send(200, self.site.login_page())
        if parts.path == "/session":
            return self._session(query)
        if parts.path == "/api/basic":
            header = self.headers.get("Authorization", "")
            if header:
                import base64

                _, _, password = base64.b64decode(header.split()[-1]).decode("utf-8", "replace").partition(":")
                self.site.received.append(password)
            return self._send(200, "{}", content_type="application/json")
        return self._send(404, "<h1>Not found</h1>")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0)).decode("utf-8", "replace")
        path = urlsplit(self.path).path
        if path == "/session":
            return self._session({k: v[0] for k, v in parse_qs(body).items()})
        if path == "/api/check":
            self.site.received.append(str(json.loads(body or "{}").get("password", "")))
            return self._send(200, "{}", content_type="application/json")
        return self._send(404, "<h1>Not found</h1>")

    def _session(self, form: dict[str, str]) -> None:
        password = form.get("password", "")
        self.site.received.append(password)
        if password != self.site.password:
            return self._send(200, "<h1>Wrong password</h1>")
        self._send(200, _HOME.format(user=html.escape(form.get("user", ""))))

    def _send(self, status: int, body: str, headers: dict[str, str] | None = None, content_type: str = "text/html") -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
