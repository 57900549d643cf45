"""Running sync Playwright code from async tests."""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["in_a_thread"]


def in_a_thread(work: Callable[[], object]) -> None:
    """sync_playwright refuses to start where an event loop runs (pytest-asyncio's): run it in a thread."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
