"""Long polls (`GET /v1/runs/{id}?wait=S`): woken at once when this server's worker finishes the run,
otherwise the store is read again every `poll_s` (a run finished by a separate worker)."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable

from .._store import CacheError, RunRecord

__all__ = ["RunWaiter"]


class RunWaiter:
    def __init__(self, read: Callable[[str], Awaitable[RunRecord | None]], poll_s: float) -> None:
        self.read, self.poll_s = read, poll_s
        self._waiting: dict[str, set[asyncio.Event]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def notify(self, run_id: str) -> None:
        """The run changed (it is final, or canceled); callable from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake, run_id)

    def _wake(self, run_id: str) -> None:
        for event in self._waiting.get(run_id, ()):
            event.set()

    async def wait(self, run_id: str, timeout_s: float) -> RunRecord:
        """The run once final, or as it is when `timeout_s` runs out."""
        deadline = time.monotonic() + timeout_s
        event = asyncio.Event()
        self._waiting[run_id].add(event)
        try:
            while True:
                record = await self.read(run_id)
                if record is None:
                    raise CacheError(f"no run with id {run_id}")
                left = deadline - time.monotonic()
                if record.final or left <= 0:
                    return record
                try:
                    async with asyncio.timeout(min(self.poll_s, left)):
                        await event.wait()
                except TimeoutError:
                    pass
                event.clear()
        finally:
            self._waiting[run_id].discard(event)
            if not self._waiting[run_id]:
                del self._waiting[run_id]
