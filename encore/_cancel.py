"""Cancel a run's task until it has ended.

One `Task.cancel()` can be lost on Python 3.11: `asyncio.wait_for` returns the awaited result instead of
raising when the cancel arrives in the same loop iteration as that result (CPython gh-86296, fixed in 3.12 by
rebuilding `wait_for` on `asyncio.timeout`). Encore's own waits use `asyncio.timeout`, but any code a run goes
through may still use `wait_for`, and a run whose user asked it to stop would then go on to its end. So a run
is canceled again every `again_after_s` until its task is done; the pause leaves a run that did take the
cancel time to close its page and write its report.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

__all__ = ["CANCEL_AGAIN_AFTER_S", "cancel_until_done", "keep_canceling"]

CANCEL_AGAIN_AFTER_S = 10.0


async def cancel_until_done(task: asyncio.Task[Any], again_after_s: float = CANCEL_AGAIN_AFTER_S) -> None:
    """Cancel `task`, and again every `again_after_s` for as long as it runs."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=again_after_s)


async def keep_canceling(
    task: asyncio.Task[Any], wanted: Callable[[], bool], again_after_s: float = CANCEL_AGAIN_AFTER_S
) -> None:
    """For a task that something else cancels once (procrastinate's abort): while `wanted()` holds, cancel it
    again every `again_after_s` until it is done. Runs beside the task; cancel this one when the task ends."""
    while not task.done():
        await asyncio.wait({task}, timeout=again_after_s)
        if not task.done() and wanted():
            task.cancel()
