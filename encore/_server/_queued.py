"""Runs for separate `encore worker`s (PostgreSQL): the API writes the run's row and queues its job on
procrastinate; the workers run it and fire schedules. Inline secrets are refused here: they would have to
travel through the queue, which they never do (workers read them from their environment or a reference)."""

from __future__ import annotations

from contextlib import AsyncExitStack

import procrastinate
from starlette.concurrency import run_in_threadpool

from .._queue import ensure_schema, make_app
from .._queue._tasks import enqueue
from .._store import RunRecord, Store
from ._problems import Problem

__all__ = ["QueueDispatcher"]


class QueueDispatcher:
    accepts_secrets = False
    name = ""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.app: procrastinate.App = make_app(store)  # the only App of this process (see `cancel`)
        self._stack = AsyncExitStack()

    async def start(self) -> None:
        ensure_schema(self.store)
        await self._stack.enter_async_context(self.app.open_async())

    async def stop(self) -> None:
        await self._stack.aclose()

    def assign(self, run_id: str) -> None:
        """Queued runs belong to whichever worker takes the job."""

    async def submit(self, run_id: str, secrets: dict[str, str]) -> None:
        assert not secrets, "inline secrets are refused before a queued run is written"
        await enqueue(self.app, self.store, run_id)

    async def cancel(self, record: RunRecord) -> RunRecord:
        """A queued run is canceled at once; a running one's job is aborted, and its worker writes `canceled`.

        (Not `encore._queue.cancel`: that opens an App of its own, and each App made in a process re-binds
        the queue's tasks to itself, which would leave this server's App without them.)
        """
        if record.job_id is None and record.status == "running":
            raise Problem(409, f"run {record.id} runs in another process ({record.worker or 'encore run'}): stop it there")
        updated = await run_in_threadpool(self.store.runs.request_cancel, record.id)
        if updated.job_id is not None and not updated.final:
            aborted = await self.app.job_manager.cancel_job_by_id_async(updated.job_id, abort=True)
            if not aborted and updated.status == "running":
                raise Problem(409, f"run {record.id}: its job {updated.job_id} is no longer running")
        return updated
