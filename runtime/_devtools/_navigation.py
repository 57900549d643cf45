"""Asserted navigations: the step's own frame must navigate (like Frame.waitForNavigation), to the recorded path."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame

__all__ = ["NavigationWatch", "same_path"]

_ID_LIKE = re.compile(r"\d{3,}|[0-9a-f]{12,}|[0-9a-f-]{36}", re.IGNORECASE)


class NavigationWatch:
    """Started when the action starts (as @puppeteer/replay does), so a fast navigation is not missed."""

    def __init__(self, frame: Frame) -> None:
        self.frame = frame
        self.page = frame.page
        self.started = asyncio.get_running_loop().time()
        self.navigated = asyncio.Event()
        self.page.on("framenavigated", self._seen)

    def _seen(self, frame: Frame) -> None:
        if frame == self.frame:
            self.navigated.set()

    def close(self) -> None:
        self.page.remove_listener("framenavigated", self._seen)

    async def wait(self, deadline: float) -> str | None:
        """None once the frame navigated and loaded; otherwise why not."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout_at(deadline):
                await self.navigated.wait()
        except TimeoutError:
            return "the expected navigation did not happen"
        if self.frame.is_detached():
            return "the frame that was to navigate was detached"
        try:
            await self.frame.wait_for_load_state("load", timeout=max(1.0, (deadline - loop.time()) * 1000))
        except PlaywrightError:
            return "the page it navigated to did not finish loading"
        return None


def same_path(url: str, expected: str) -> bool:
    """Scheme, host and path agree, path segments that look like ids aside: queries and fragments may differ."""
    got, want = urlsplit(url), urlsplit(expected)
    if (got.scheme, got.netloc) != (want.scheme, want.netloc):
        return False
    a, b = got.path.rstrip("/").split("/"), want.path.rstrip("/").split("/")
    return len(a) == len(b) and all(x == y or (_ID_LIKE.fullmatch(x) and _ID_LIKE.fullmatch(y)) for x, y in zip(a, b))
