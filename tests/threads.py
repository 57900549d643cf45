"""Running code on a thread of its own: sync Playwright from async tests, or what acts on the calling thread only."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["in_a_thread"]

T = TypeVar("T")


def in_a_thread(work: Callable[[], T]) -> T:
    """`work()` on a new thread, its result or exception handed back. sync_playwright refuses to start where an
    event loop runs (pytest-asyncio's); a nice value set there stays with that thread."""
    result: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]
