"""Pages built to trip a replay into acting on the wrong element, served on 127.0.0.1 with their state.

    python -m examples.adversarial.server --port 8766 [--variant reordered ...]

Four small apps, each keeping what was really done to it in `events`, so a test can tell a correct
completion from a wrong-element one by the server's state, not by the page:
- /newsletter  a form that posts and redirects back to itself (post-redirect-get) with a banner that
               reads "You are subscribed." or "Subscription failed." in the same element;
- /orders      a table whose rows each have the same "Cancel" button (a form per row);
- /todos       a script-rendered list whose items' checkboxes all look the same, and "Clear completed";
- /account     "Save profile" and, elsewhere, "Delete account";
- /items       records created through a form, listed with links to them (recording-time data);
- /bin         a button that asks for confirmation in a JavaScript dialog, then posts with fetch.
A variant changes the markup or the behaviour the way an adversarial release would (see VARIANTS).
"""

from __future__ import annotations

import argparse
import html
import json
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qs, quote, unquote, urlsplit

__all__ = ["VARIANTS", "AdversarialSite"]

VARIANTS = {
    # newsletter
    "substring_names": "an Unsubscribe button now stands before Subscribe (a loose name would find it)",
    "decoy_after_removal": "Subscribe is gone; Unsubscribe is where it was",
    "hidden_original": "Subscribe is hidden; a visible Subscribe button posts to a partner list",
    "same_address_decoy": "Subscribe is hidden; a visible Subscribe posts to the same address, for partner offers",
    "iframe_same_text": "the button is gone from the page; an iframe holds one with the same words",
    "iframe_beside": "an iframe beside the form holds a button with the same words",
    "banner_failure": "the post is answered with a failure in the very banner success appears in",
    "form_retargeted": "the Subscribe button's form now posts to the unsubscribe address",
    # orders
    "reordered": "the rows (orders, todo items) come in another order",
    "resorted_new_row": "a new row arrives and the table is sorted the other way",
    "row_removed": "the recorded row is gone; its siblings are not",
    # todos
    "item_removed": "the recorded todo item is gone; its siblings are not",
    # account
    "relabel_before": "shortly after loading, the button is relabelled 'Delete account' and retargeted",
    "relabel_during": "when the pointer reaches the button, it becomes 'Delete account'",
    "overlay": "a transparent layer over the button catches clicks and deletes the account",
    "moving_button": "when the pointer arrives, the buttons swap places",
    # bin
    "dialog_changed": "the confirmation now asks something else",
}

_STYLE = "<style>body{font-family:sans-serif;margin:2em} td,th{padding:4px 12px} .card{border:1px solid #999;margin:4px;padding:4px}</style>"


def _page(title: str, body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{_STYLE}</head><body>{body}</body></html>'


class AdversarialSite:
    """`with AdversarialSite(variants=("reordered",)) as site: site.url, site.events`."""

    def __init__(self, port: int = 0, variants: tuple[str, ...] = ()) -> None:
        unknown = [v for v in variants if v not in VARIANTS]
        if unknown:
            raise ValueError(f"unknown variant {unknown[0]!r}; known: {', '.join(sorted(VARIANTS))}")
        self.variants = set(variants)
        self.events: list[tuple[str, ...]] = []
        """What the server was asked to do, in order: ("subscribe",), ("cancel", "1002"), ..."""
        self.subscribed = False
        self.orders = {"1001": "open", "1002": "open", "1003": "open"}
        self.todos = [
            {"id": 1, "title": "Buy milk", "done": False},
            {"id": 2, "title": "Walk the dog", "done": False},
            {"id": 3, "title": "Pay rent", "done": False},
        ]
        self.items: list[str] = ["Green teapot"]
        self.account = "active"
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

    def has(self, variant: str) -> bool:
        return variant in self.variants

    # --- pages ------------------------------------------------------------------

    def newsletter(self, flash: str) -> str:
        banner = flash or ("You are subscribed." if self.subscribed else "You are not subscribed.")
        subscribe = '<button type="submit" id="subscribe">Subscribe</button>'
        unsubscribe = '<form method="post" action="/newsletter/unsubscribe"><button type="submit">Unsubscribe</button></form>'
        action = "/newsletter/unsubscribe" if self.has("form_retargeted") else "/newsletter/subscribe"
        main = f'<form id="newsletter" method="post" action="{action}"><p>Weekly news, no spam.</p>{subscribe}</form>'
        if self.has("substring_names"):
            main = unsubscribe + main
        if self.has("decoy_after_removal"):
            main = unsubscribe
        if self.has("hidden_original"):
            main = main.replace('id="subscribe"', 'id="subscribe" hidden')
            main += ('<aside><form method="post" action="/partners/subscribe"><p>Offers from our partners</p>'
                     '<button type="submit">Subscribe</button></form></aside>')
        if self.has("same_address_decoy"):
            main = main.replace('id="subscribe"', 'id="subscribe" hidden')
            main += ('<aside><form method="post" action="/newsletter/subscribe"><input type="hidden" name="list" value="partners">'
                     '<p>Offers from our partners</p><button type="submit">Subscribe</button></form></aside>')
        frame = '<iframe title="Partners" src="/partners" width="300" height="80"></iframe>'
        if self.has("iframe_same_text"):
            main = frame
        if self.has("iframe_beside"):
            main += frame
        return _page("Newsletter", f'<h1>Newsletter</h1><p id="banner" role="status">{html.escape(banner)}</p>{main}')

    def partners(self) -> str:
        return _page("Partners", '<form method="post" action="/partners/subscribe" target="_top">'
                     '<button type="submit">Subscribe</button></form>')

    def orders_page(self, flash: str) -> str:
        ids = sorted(self.orders)
        if self.has("resorted_new_row"):
            ids = sorted([*ids, "1000"] if "1000" not in self.orders else ids, reverse=True)
        if self.has("reordered"):
            ids = [ids[2], ids[0], ids[1]] if len(ids) == 3 else ids[::-1]
        if self.has("row_removed"):
            ids = [i for i in ids if i != "1002"]
        rows = "".join(
            f"<tr><td>Order {i}</td><td>{'Blue mug' if i != '1002' else 'Teapot'}</td>"
            f"<td>{self.orders.get(i, 'open')}</td><td><form method=\"post\" action=\"/orders/{i}/cancel\">"
            '<button type="submit">Cancel</button></form></td></tr>'
            for i in ids
        )
        status = f'<p role="status" id="flash">{html.escape(flash)}</p>' if flash else ""
        table = f'<table id="orders"><thead><tr><th>Order</th><th>Item</th><th>Status</th><th></th></tr></thead><tbody>{rows}</tbody></table>'
        return _page("Orders", f"<h1>Your orders</h1>{status}{table}")

    def todos_page(self) -> str:
        items = [t for t in self.todos if not (self.has("item_removed") and t["title"] == "Walk the dog")]
        if self.has("reordered"):
            items = [{"id": 9, "title": "Call mum", "done": False}, *reversed(items)]
        data = json.dumps(items)
        script = (
            "const render = (items) => { const list = document.getElementById('todo-list'); list.innerHTML = '';"
            " for (const t of items) { const li = document.createElement('li'); li.className = 'todo';"
            " li.innerHTML = '<div class=\"view\"><input class=\"toggle\" type=\"checkbox\"><label></label>"
            "<button class=\"destroy\" title=\"Remove\">×</button></div>';"
            " li.querySelector('label').textContent = t.title; li.querySelector('.toggle').checked = t.done;"
            " li.querySelector('.toggle').addEventListener('change', () => fetch('/api/todos/' + t.id + '/toggle', {method: 'POST'}));"
            " list.appendChild(li); } };"
            f" render({data});"
            " document.getElementById('clear').addEventListener('click', async () => {"
            " await fetch('/api/todos/clear', {method: 'POST'});"
            " for (const li of Array.from(document.querySelectorAll('li.todo'))) if (li.querySelector('.toggle').checked) li.remove();"
            " document.getElementById('left').textContent = 'Cleared'; });"
        )
        body = ('<h1>todos</h1><ul id="todo-list"></ul><footer><span id="left" role="status"></span>'
                '<button id="clear">Clear completed</button></footer>')
        return _page("Todos", body + f"<script>{script}</script>")

    def account_page(self, flash: str) -> str:
        save = '<form id="profile" method="post" action="/account/save"><label>Display name <input name="display" value="Ada"></label> <button type="submit" id="save">Save profile</button></form>'
        delete = '<form id="danger" method="post" action="/account/delete"><button type="submit" id="delete">Delete account</button></form>'
        status = f'<p role="status" id="flash">{html.escape(flash)}</p>' if flash else ""
        script = ""
        retarget = ("const b = document.getElementById('save'); b.textContent = 'Delete account';"
                    " b.form.action = '/account/delete';")
        if self.has("relabel_before"):
            script = retarget  # run as the page loads: relabelled before any step can see it
        if self.has("relabel_during"):
            script = f"document.getElementById('save').addEventListener('pointerover', () => {{ {retarget} }}, {{once: true}});"
        extra = ""
        if self.has("overlay"):
            extra = ('<div id="shield" style="position:fixed;inset:0;background:transparent;z-index:10"'
                     ' onclick="fetch(\'/account/delete\', {method: \'POST\'})"></div>')
        if self.has("moving_button"):
            script = (
                "let moved = false; document.getElementById('save').addEventListener('pointerover', () => {"
                " if (moved) return; moved = true; const save = document.getElementById('profile');"
                " const danger = document.getElementById('danger'); danger.style.position = 'absolute';"
                " const r = document.getElementById('save').getBoundingClientRect();"
                " danger.style.left = r.left + 'px'; danger.style.top = (r.top + window.scrollY) + 'px';"
                " save.style.marginTop = '120px'; });"
            )
        body = f"<h1>Account</h1>{status}{save}<hr>{delete}{extra}"
        if self.has("iframe_same_text"):
            body = (f"<h1>Account</h1>{status}<iframe title='Profile' src='/account/embedded' width='400' height='80'></iframe>"
                    f"<hr>{delete}")
        return _page("Account", body + (f"<script>{script}</script>" if script else ""))

    def embedded_account(self) -> str:
        return _page("Profile", '<form method="post" action="/account/delete" target="_top"><button type="submit">Save profile</button></form>')

    def items_page(self, flash: str) -> str:
        links = "".join(f'<li><a href="/items/{i}">{html.escape(title)}</a></li>' for i, title in enumerate(self.items))
        status = f'<p role="status" id="flash">{html.escape(flash)}</p>' if flash else ""
        form = ('<form method="post" action="/items"><label>Title <input name="title"></label>'
                ' <button type="submit">Create</button></form>')
        return _page("Items", f'<h1>Items</h1>{status}{form}<ul id="results">{links}</ul>')

    def bin_page(self) -> str:
        question = "Delete your account for good?" if self.has("dialog_changed") else "Empty the bin for good?"
        target = "/account/delete" if self.has("dialog_changed") else "/api/bin/empty"
        script = (f"document.getElementById('empty').addEventListener('click', async () => {{"
                  f" if (!confirm({json.dumps(question)})) return;"
                  f" await fetch({json.dumps(target)}, {{method: 'POST'}});"
                  " document.getElementById('state').textContent = 'The bin is empty.'; });")
        body = '<h1>Bin</h1><p id="state" role="status">3 items in the bin.</p><button id="empty">Empty bin</button>'
        return _page("Bin", body + f"<script>{script}</script>")

    def item_page(self, index: int) -> str:
        title = self.items[index] if 0 <= index < len(self.items) else "No such item"
        return _page(title, f"<h1>{html.escape(title)}</h1><p>Item {index}</p>")


class _Handler(BaseHTTPRequestHandler):
    owner: AdversarialSite

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        site = self.owner
        path = urlsplit(self.path).path
        # The message a post left for the page it redirects to, in a cookie (as Django's messages do):
        # after the post the browser is back at the very same URL.
        jar = SimpleCookie(self.headers.get("Cookie", ""))
        flash = unquote(jar["flash"].value) if "flash" in jar else ""
        pages = {
            "/newsletter": lambda: site.newsletter(flash),
            "/partners": site.partners,
            "/orders": lambda: site.orders_page(flash),
            "/todos": site.todos_page,
            "/account": lambda: site.account_page(flash),
            "/account/embedded": site.embedded_account,
            "/items": lambda: site.items_page(flash),
            "/bin": site.bin_page,
        }
        if path in pages:
            return self._send(200, pages[path](), {"Set-Cookie": "flash=; Path=/; Max-Age=0"} if flash else None)
        if path.startswith("/items/") and path[7:].isdigit():
            index = int(path[7:])
            site.events.append(("open", site.items[index] if index < len(site.items) else path[7:]))
            return self._send(200, site.item_page(index))
        self._send(404, "<h1>Not found</h1>")

    def do_POST(self) -> None:
        site = self.owner
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8")).items()}
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        if path == "/newsletter/subscribe":
            if form.get("list") == "partners":
                site.events.append(("partner_subscribe",))
                return self._redirect("/newsletter", "Partner offers on.")
            if site.has("banner_failure"):
                site.events.append(("subscribe_failed",))
                return self._redirect("/newsletter", "Subscription failed: try again later.")
            site.events.append(("subscribe",))
            site.subscribed = True
            return self._redirect("/newsletter", "You are subscribed.")
        if path == "/newsletter/unsubscribe":
            site.events.append(("unsubscribe",))
            site.subscribed = False
            return self._redirect("/newsletter", "You are not subscribed.")
        if path == "/partners/subscribe":
            site.events.append(("partner_subscribe",))
            return self._redirect("/newsletter", "Partner offers on.")
        if len(parts) == 3 and parts[0] == "orders" and parts[2] == "cancel":
            site.events.append(("cancel", parts[1]))
            site.orders[parts[1]] = "cancelled"
            return self._redirect("/orders", f"Order {parts[1]} cancelled.")
        if len(parts) == 4 and parts[:2] == ["api", "todos"] and parts[3] == "toggle":
            todo = next((t for t in site.todos if str(t["id"]) == parts[2]), None)
            site.events.append(("toggle", todo["title"] if todo else parts[2]))
            if todo:
                todo["done"] = not todo["done"]
            return self._send(204, "")
        if path == "/api/todos/clear":
            cleared = [t["title"] for t in site.todos if t["done"]]
            site.events.append(("clear", *cleared))
            site.todos = [t for t in site.todos if not t["done"]]
            return self._send(204, "")
        if path == "/account/save":
            site.events.append(("save_profile", form.get("display", "")))
            return self._redirect("/account", "Profile saved.")
        if path == "/account/delete":
            site.events.append(("delete_account",))
            site.account = "deleted"
            return self._redirect("/account", "Account deleted.")
        if path == "/api/bin/empty":
            site.events.append(("empty_bin",))
            return self._send(204, "")
        if path == "/items":
            title = form.get("title", "")
            site.items.append(title)
            site.events.append(("create", title))
            return self._redirect("/items", f"Created “{title}”.")
        self._send(404, "<h1>Not found</h1>")

    def _redirect(self, location: str, flash: str) -> None:
        self.send_response(303)
        self.send_header("Location", location)
        self.send_header("Set-Cookie", f"flash={quote(flash)}; Path=/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--variant", action="append", default=[], choices=sorted(VARIANTS))
    args = parser.parse_args()
    site = AdversarialSite(args.port, tuple(args.variant))
    print(f"serving the adversarial pages on {site.url} (variants: {', '.join(sorted(site.variants)) or 'none'})")
    site.start()
    site._thread.join()


if __name__ == "__main__":
    main()
