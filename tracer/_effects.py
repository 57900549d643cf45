"""What an action did, watched while it ran: the strongest effect a replay can check afterwards.

In order of strength: the page a click opened; a load (its URL, and the form post that caused it,
even when the post redirects back to the same URL); a request that changes data (a fetch POST); a
JavaScript dialog; an element that appeared or changed, *with its text* ("Saved." and "Could not save."
are both visible); the checked state the click gave a box. URLs and texts holding the run's data
become templates (issue 12); what no template stands for passes through `StaleData.check_text`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Self

from playwright.async_api import Dialog, ElementHandle, Frame, Page, Request
from playwright.async_api import Error as PlaywrightError

from ._data import RunData
from ._model import DialogShown, ElementState, ElementText, Postcondition, RequestMade, Target
from ._scripts import page_script
from ._stale import StaleData
from ._urls import url_condition, url_pattern

__all__ = ["Effects"]

RecordTarget = Callable[[ElementHandle], Awaitable[Target]]

# Where sites put the message a form post answers with, after the reload.
_FLASH = (
    "[role=alert], [role=status], output, .flash, .flashes, .alert, .messages, .message, .messagelist, .notice, "
    ".notification, .toast, .errornote, .success, .error, #flash, #messages, #banner"
)
_FIRST_VISIBLE_TEXT = """(els) => els.find((e) => {
  const r = e.getBoundingClientRect();
  const text = (e.innerText || "").trim();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden" && text && text.length <= 300;
}) || null"""
_TEXT = "el => (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim()"
_CHECKED = """el => {
  const box = el.matches("input[type=checkbox], input[type=radio]") ? el
    : el.control || (el.tagName === "LABEL" ? el.querySelector("input[type=checkbox], input[type=radio]") : null);
  if (box) return box === el ? (box.checked ? "checked" : "unchecked") : null;
  const aria = el.getAttribute("aria-checked");
  return aria === "true" ? "checked" : aria === "false" ? "unchecked" : null;
}"""
_NOT_DATA = {"GET", "HEAD", "OPTIONS"}
_CONTROLS = "a[href], button, input, select, textarea, [role=menuitem], [role=button], [role=link]"
# After an action the page is watched until its network has been quiet this long (a confirmed dialog's
# fetch, a request a response's script sends on), for at most _QUIET_LIMIT_S (a long poll never ends).
_QUIET_S = 0.15
_QUIET_LIMIT_S = 3.0


class Effects:
    """`async with Effects(page, frame, ...) as effects: act; post = await effects.postconditions(...)`."""

    def __init__(
        self, page: Page, frame: Frame | None, stale: StaleData, record: RecordTarget, data: RunData | None = None
    ) -> None:
        self.page = page
        self.frame = frame
        self.stale = stale
        self.record = record
        self.data = data
        self.opened: list[Page] = []
        self.requests: list[Request] = []
        self.dialogs: list[tuple[str, str]] = []
        self.loads = 0
        self.url_before = page.url
        self._watching = False
        self._pending: set[Request] = set()
        self._last_activity = asyncio.get_running_loop().time()

    async def __aenter__(self) -> Self:
        self.page.context.on("page", self._on_page)
        self.page.on("request", self._on_request)
        self.page.on("requestfinished", self._on_request_done)
        self.page.on("requestfailed", self._on_request_done)
        self.page.on("framenavigated", self._on_navigated)
        self.page.on("dialog", self._on_dialog)
        if self.frame is not None:
            try:
                await self.frame.evaluate(f"() => ({page_script('watch')}).start()")
                self._watching = True
            except PlaywrightError:
                pass  # a frame on its way out: what it would have shown is gone with it
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.page.context.remove_listener("page", self._on_page)
        self.page.remove_listener("request", self._on_request)
        self.page.remove_listener("requestfinished", self._on_request_done)
        self.page.remove_listener("requestfailed", self._on_request_done)
        self.page.remove_listener("framenavigated", self._on_navigated)
        self.page.remove_listener("dialog", self._on_dialog)

    # Playwright wraps handlers: plain functions, not bound builtins.
    def _on_page(self, page: Page) -> None:
        self.opened.append(page)

    def _on_request(self, request: Request) -> None:
        self.requests.append(request)
        self._pending.add(request)
        self._active()

    def _on_request_done(self, request: Request) -> None:
        self._pending.discard(request)
        self._active()

    def _active(self) -> None:
        self._last_activity = asyncio.get_running_loop().time()

    def _on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.loads += 1

    async def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append((dialog.type, " ".join(dialog.message.split())))
        await dialog.accept()  # the step meant what it did: a "Really delete?" is confirmed, on replay too
        self._active()  # what the confirmation starts (a fetch) comes after this

    def _navigation_requested(self) -> bool:
        return any(r.is_navigation_request() and r.frame == self.page.main_frame for r in self.requests)

    async def settle(self) -> None:
        """Let what the action started finish: a popup announcing itself, a load (a post and its redirect)."""
        await asyncio.sleep(0.15)
        if self.opened:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while self._navigation_requested() and not self.loads and loop.time() < deadline:
            await asyncio.sleep(0.05)  # the request is out; the new document has not committed yet
        try:
            await self.page.wait_for_load_state("load", timeout=10_000)
        except PlaywrightError:
            pass  # a page that never finishes loading still has a URL
        await self._network_quiet()

    async def _network_quiet(self) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _QUIET_LIMIT_S
        while loop.time() < deadline and (self._pending or loop.time() - self._last_activity < _QUIET_S):
            await asyncio.sleep(0.03)

    async def postconditions(self, acted: ElementHandle | None) -> tuple[Postcondition, ...]:
        """What must hold after the action on replay, strongest first."""
        if self.opened:
            return (url_condition(self.opened[0].url, self.data),)
        post: list[Postcondition] = []
        loaded = self.loads > 0 or self.page.url != self.url_before
        if loaded:
            # Captures the ids the URL names (issue 12) before the texts below are templated with them.
            post.append(url_condition(self.page.url, self.data))
        sent = next((r for r in self.requests if r.method not in _NOT_DATA and self._ours(r)), None)
        if sent is not None:
            navigates = sent.is_navigation_request() and sent.frame == self.page.main_frame
            pattern = url_pattern(sent.url)
            # A request path naming the run's data (a slug typed as a title) would only match the
            # recording's own request: ids are `*` already; anything else of the run's is left out.
            if not self.stale.found_in(pattern) and not (self.data is not None and self.data.holds_data(pattern)):
                post.append(RequestMade(method=sent.method, url=pattern, navigates=navigates))
        for kind, message in self.dialogs[:1]:
            template = self.data.template(message, "check") if self.data is not None else None
            kept = self.stale.check_text(message, template)
            post.append(  # type: ignore[arg-type]
                DialogShown(type=kind, message=kept or "", template=template if kept == message else None)  # type: ignore[arg-type]
            )
        if loaded:
            post += await self._flash()
        else:
            post += await self._appeared(acted)
        return tuple(post)

    def _ours(self, request: Request) -> bool:
        """A request of the page itself, not of an embedded third party's frame."""
        try:
            return request.frame.page == self.page
        except PlaywrightError:
            return False

    async def _flash(self) -> list[Postcondition]:
        """The message the new page answers with, with its text."""
        script = f"(selector) => ({_FIRST_VISIBLE_TEXT})(Array.from(document.querySelectorAll(selector)))"
        try:
            found = await self.page.evaluate_handle(script, _FLASH)
        except PlaywrightError:
            return []
        element = found.as_element()
        return [] if element is None else await self._with_text(element)

    async def _appeared(self, acted: ElementHandle | None) -> list[Postcondition]:
        """What the action made appear or change in the page, with its text; the state it gave a box."""
        post: list[Postcondition] = []
        if acted is not None:
            try:
                state = await acted.evaluate(_CHECKED)
            except PlaywrightError:
                state = None
            if state:
                post.append(ElementState(state=state))
        if not self._watching or self.frame is None:
            return post
        await asyncio.sleep(0.1)
        try:
            opened = await self.frame.evaluate_handle(f"(acted) => ({page_script('watch')}).collect(acted)", acted)
        except PlaywrightError:
            return post  # the frame went away after all
        element = opened.as_element()
        if element is not None:
            post += await self._with_text(element)
        return post

    async def _with_text(self, element: ElementHandle) -> list[Postcondition]:
        try:
            target = await self.record(element)
            text, controls = await element.evaluate(f"el => [({_TEXT})(el), el.querySelectorAll({_CONTROLS!r}).length]")
        except (PlaywrightError, RuntimeError):
            return []
        # A menu or a panel of links says what it offers, not how the action went: its words (a version
        # in a footer, one more entry) change with every release, so that it opened is what is checked.
        if not text or len(text) > 300 or controls >= 2:
            return [ElementState(target=target, state="visible")]
        template = self.data.template(text, "check") if self.data is not None else None
        kept = self.stale.check_text(text, template)
        if kept:
            return [ElementText(target=target, text=kept, template=template if kept == text else None)]
        return [ElementState(target=target, state="visible")]
