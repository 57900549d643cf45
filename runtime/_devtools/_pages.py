"""Where a DevTools step runs: the main page, a popup or out-of-process frame named by URL, then child frames."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from playwright.async_api import Frame, Page

__all__ = ["Place", "StepPlace", "find_place"]


@dataclass
class Place:
    """The page whose mouse acts, and the frame whose document the selectors query."""

    page: Page
    frame: Frame


class StepPlace(Exception):
    """The step's page or frame never appeared; the message says which."""


def _child(frame: Frame, path: tuple[int, ...]) -> Frame | None:
    for index in path:
        children = frame.child_frames
        if index >= len(children):
            return None
        frame = children[index]
    return frame


def _target(main: Page, url: str) -> tuple[Page, Frame] | None:
    # @puppeteer/replay waits for a browser target with exactly this URL: a page (a popup, a tab) or,
    # for an out-of-process iframe, that frame of the main page. Pages come first, in the order opened.
    for page in main.context.pages:
        if not page.is_closed() and page.url == url:
            return page, page.main_frame
    for frame in main.frames:
        if frame.url == url and frame.parent_frame is not None:
            return main, frame
    return None


async def find_place(main: Page, page_url: str | None, frame_path: tuple[int, ...], deadline: float) -> Place:
    """Polls until the target and the child frames exist, or raises StepPlace at `deadline` (loop time)."""
    loop = asyncio.get_running_loop()
    while True:
        found = (main, main.main_frame) if page_url is None else _target(main, page_url)
        if found is not None:
            frame = _child(found[1], frame_path)
            if frame is not None and not frame.is_detached():
                return Place(found[0], frame)
        if loop.time() >= deadline:
            if found is None:
                raise StepPlace(f"no page or frame has the URL {page_url!r}")
            raise StepPlace(f"frame {list(frame_path)} does not exist in {found[1].url!r}")
        await asyncio.sleep(0.05)
