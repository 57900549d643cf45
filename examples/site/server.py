"""The example shop, served on 127.0.0.1: login, an order form, a table, an iframe, a download.

    python examples/site/server.py --port 8765 [--mutation renamed_ids ...]
"""

from __future__ import annotations

import argparse
import html
import threading
from email import message_from_bytes
from email.policy import HTTP
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Self
from urllib.parse import parse_qs, quote, unquote, urlsplit

try:
    from .mutations import MUTATIONS, apply_mutations
except ImportError:  # run as a script
    from mutations import MUTATIONS, apply_mutations  # type: ignore[no-redef]

__all__ = ["PASSWORD", "ExampleSite"]

PAGES = Path(__file__).parent / "pages"
PASSWORD = "correct horse battery staple"
_ROUTES = {
    "/": "index.html",
    "/login": "login.html",
    "/dashboard": "dashboard.html",
    "/order": "order.html",
    "/orders": "orders.html",
    "/newsletter": "newsletter.html",
    "/settings": "settings.html",
    "/terms": "terms.html",
}


class ExampleSite:
    """A running example site; `with ExampleSite() as site: site.url`."""

    def __init__(self, port: int = 0, mutations: tuple[str, ...] = ()) -> None:
        unknown = [m for m in mutations if m not in MUTATIONS]
        if unknown:
            raise ValueError(f"unknown mutation {unknown[0]!r}; known: {', '.join(sorted(MUTATIONS))}")
        self.mutations = tuple(mutations)
        self.orders: dict[str, str] = {}
        site = self

        class Handler(_Handler):
            owner = site

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    owner: ExampleSite

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/style.css":
            return self._send(200, (PAGES / "style.css").read_bytes(), "text/css")
        if parts.path == "/report.csv":
            body = b"order,product,price\n1001,Blue mug,12.50\n"
            return self._send(200, body, "text/csv", {"Content-Disposition": 'attachment; filename="report.csv"'})
        if parts.path == "/embed":
            # The newsletter from another origin (localhost vs 127.0.0.1): a cross-origin iframe.
            port = self.server.server_address[1]
            body = f'<h1>Embedded</h1><iframe title="Newsletter" src="http://localhost:{port}/newsletter"></iframe>'
            return self._send(200, body.encode(), "text/html; charset=utf-8")
        if parts.path == "/confirmation":
            order = parse_qs(parts.query).get("order", [""])[0]
            summary = self.owner.orders.get(order, "No such order")
            return self._page("confirmation.html", {"summary": summary})
        page = _ROUTES.get(parts.path)
        if page is None:
            return self._send(404, b"<h1>Not found</h1>", "text/html")
        email = self._cookie("email")
        return self._page(page, {"email": email})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        path = urlsplit(self.path).path
        if path == "/login":
            form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
            if form.get("email") and form.get("password") == PASSWORD:
                cookie = f"email={quote(form['email'])}; Path=/"
                # The terms interstitial is a change of flow, not of markup: the server sends you elsewhere.
                after = "/terms" if "terms_interstitial" in self.owner.mutations else "/dashboard"
                return self._redirect(after, {"Set-Cookie": cookie})
            return self._page("login.html", {}, error="Wrong e-mail or password.")
        if path == "/order":
            fields = _multipart(self.headers.get("Content-Type", ""), body)
            order = str(1004 + len(self.owner.orders))
            summary = (
                f"Order {order}: {fields.get('product', '')}, size {fields.get('size', '')}, "
                f"gift wrap {'yes' if fields.get('gift') else 'no'}, {fields.get('shipping', '')} shipping, "
                f"attachment {fields.get('attachment', 'none') or 'none'}, notes: {fields.get('notes', '')}"
            )
            self.owner.orders[order] = summary
            return self._redirect(f"/confirmation?order={order}")
        self._send(404, b"<h1>Not found</h1>", "text/html")

    def _cookie(self, name: str) -> str:
        jar = SimpleCookie(self.headers.get("Cookie", ""))
        return unquote(jar[name].value) if name in jar else ""

    def _page(self, name: str, values: dict[str, str], error: str | None = None) -> None:
        text = (PAGES / name).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", html.escape(value))
        if error:
            text = text.replace("<!--error-->", f'<p id="error" role="alert">{html.escape(error)}</p>')
        text = apply_mutations(self.owner.mutations, name, text)
        self._send(200, text.encode("utf-8"), "text/html; charset=utf-8")

    def _redirect(self, location: str, headers: dict[str, str] | None = None) -> None:
        self._send(303, b"", "text/plain", {"Location": location, **(headers or {})})

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away mid-answer (a closed context): nothing left to tell it


def _multipart(content_type: str, body: bytes) -> dict[str, str]:
    """Form fields of a multipart body; a file field gives its file name."""
    message = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=HTTP)
    fields: dict[str, str] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        filename = part.get_filename()
        fields[name] = filename if filename is not None else part.get_content().strip()
    return fields


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mutation", action="append", default=[], choices=sorted(MUTATIONS))
    args = parser.parse_args()
    site = ExampleSite(args.port, tuple(args.mutation))
    print(f"serving the example shop on {site.url} (mutations: {', '.join(site.mutations) or 'none'})")
    site.start()
    site._thread.join()


if __name__ == "__main__":
    main()
