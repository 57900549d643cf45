"""Waiting out a busy page: an element is declared missing only once the page has settled, or the limit passed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, Request

__all__ = ["PageActivity", "SettleWait", "activity"]

QUIET = 0.3
"""Seconds without a request in flight and without a DOM change for a page to count as settled."""
LONG_POLL = 5.0
"""A request open longer than this is a long poll or a stream, not the page still loading."""
# Requests that never say a page is still rendering.
_BACKGROUND = frozenset({"websocket", "eventsource", "ping", "beacon", "manifest", "other"})
# How long before the floor the page's DOM starts being watched, so that by the verdict it has been watched
# for the quiet window (with room for late rounds on a busy machine); an element found sooner costs nothing.
_PRIME_AHEAD = QUIET + 0.4
# A round of probes that starts this close to the floor may end past it: its DOM reading is the verdict's.
_ROUND_SLACK = 0.05

# Installs (once per document) an observer of every DOM change; answers how long the DOM has been still.
_DOM_IDLE = """() => {
  let q = window.__encoreQuiet;
  if (!q) {
    q = window.__encoreQuiet = { last: performance.now() };
    new MutationObserver(() => { q.last = performance.now(); }).observe(document,
      { childList: true, subtree: true, attributes: true, characterData: true });
  }
  return { idle: (performance.now() - q.last) / 1000, ready: document.readyState === "complete" };
}"""


DomReading = dict[str, Any]
"""What `_DOM_IDLE` answers: seconds the DOM has been still (`idle`) and whether the page loaded (`ready`)."""


class _Unread:
    """No DOM reading was taken in this round (one is taken when needed)."""


_UNREAD = _Unread()


class PageActivity:
    """Requests in flight on one page, followed through Playwright's events from the moment it is watched."""

    def __init__(self, page: Page) -> None:
        self._open: dict[Request, float] = {}
        self._last = time.monotonic()
        page.on("request", self._started)
        page.on("requestfinished", self._ended)
        page.on("requestfailed", self._ended)

    def _started(self, request: Request) -> None:
        if request.resource_type in _BACKGROUND:
            return
        now = time.monotonic()
        self._open[request] = now
        self._last = now

    def _ended(self, request: Request) -> None:
        if self._open.pop(request, None) is not None:
            self._last = time.monotonic()

    def network_idle(self) -> float:
        """Seconds since the last request started or ended; 0 while one is loading."""
        now = time.monotonic()
        if any(now - started < LONG_POLL for started in self._open.values()):
            return 0.0
        return now - self._last


_WATCHED: WeakKeyDictionary[Page, PageActivity] = WeakKeyDictionary()


def activity(page: Page) -> PageActivity:
    """The one watcher of `page` (replays of successive blocks share it)."""
    watcher = _WATCHED.get(page)
    if watcher is None:
        watcher = _WATCHED[page] = PageActivity(page)
    return watcher


@dataclass
class SettleWait:
    """How long one step may wait for a missing element.

    Up to `floor` seconds the element is waited for whatever the page does (the recording saw it
    take that long); after that only while the page is busy (loading, requests in flight, the DOM
    changing), and never beyond `limit`. A page that is quiet at the floor gets its divergence then.
    """

    page: Page
    floor: float
    limit: float
    _primed: bool = field(default=False, repr=False)
    _reading: DomReading | None | _Unread = field(default=_UNREAD, repr=False)

    async def observe(self, elapsed: float) -> None:
        """Run alongside a round of probes. Shortly before the floor it starts watching the page's DOM (so
        that it has been watched long enough by then); a round that may end in the verdict reads the DOM's
        stillness at the same moment as the probes, so the verdict costs no round trip of its own."""
        self._reading = _UNREAD
        if elapsed + _ROUND_SLACK < self.floor and (self._primed or elapsed < self.floor - _PRIME_AHEAD):
            return
        self._primed = True
        reading = await self._dom()
        if elapsed + _ROUND_SLACK >= self.floor:
            self._reading = reading

    async def keep_waiting(self, elapsed: float) -> bool:
        reading, self._reading = self._reading, _UNREAD
        if elapsed < self.floor:
            return True
        if elapsed >= self.limit:
            return False
        return await self.busy(reading)

    async def busy(self, reading: DomReading | None | _Unread = _UNREAD) -> bool:
        """Whether the page is still at work; `reading` is the DOM's state when this round read it."""
        if activity(self.page).network_idle() < QUIET:
            return True
        dom = await self._dom() if isinstance(reading, _Unread) else reading
        return dom is None or not dom["ready"] or dom["idle"] < QUIET

    async def _dom(self) -> DomReading | None:
        try:
            return await self.page.evaluate(_DOM_IDLE)
        except PlaywrightError:
            return None  # mid-navigation: the page is anything but settled
