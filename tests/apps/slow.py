"""Pages that take their time: a form rendered 2 s after load, one that waits for a slow request,
and a page whose button is simply gone."""

from __future__ import annotations

import json

from .server import App, Request, Response, html_page

__all__ = ["Slow"]

_FORM = (
    '<form class="contact" onsubmit="event.preventDefault();'
    " document.querySelector('.sent').textContent = 'Sent: ' + this.subject.value\">"
    '<label for="subject">Subject</label> <input id="subject" name="subject"> <button type="submit">Send</button>'
    '</form><p class="sent" role="status"></p>'
)


class Slow(App):
    def __init__(self, *, fetch_delay: float = 2.5, render_delay_ms: int = 2000) -> None:
        super().__init__()
        self.fetch_delay = fetch_delay
        self.render_delay_ms = render_delay_ms
        self.with_button = True
        self.route("GET", r"/timer/")(self.timer)
        self.route("GET", r"/fetch/")(self.fetch)
        self.route("GET", r"/api/form")(self.form_api)
        self.route("GET", r"/quiet/")(self.quiet)

    def timer(self, request: Request) -> Response:
        # Rendered by a timer: no request, no DOM change until then.
        script = f"setTimeout(() => {{ document.querySelector('#app').innerHTML = {json.dumps(_FORM)}; }}, {self.render_delay_ms});"
        return html_page("Contact", f'<h1>Contact</h1><div id="app"></div><script>{script}</script>')

    def fetch(self, request: Request) -> Response:
        script = "fetch('/api/form').then((r) => r.text()).then((html) => { document.querySelector('#app').innerHTML = html; });"
        return html_page("Contact", f'<h1>Contact</h1><div id="app"><p class="spinner">Loading…</p></div><script>{script}</script>')

    def form_api(self, request: Request) -> Response:
        return Response(_FORM, delay=self.fetch_delay)

    def quiet(self, request: Request) -> Response:
        button = '<button type="button" onclick="this.textContent = \'Done\'">Go</button>' if self.with_button else ""
        return html_page("Quiet", f"<h1>Quiet</h1><p>Nothing moves here.</p>{button}")
