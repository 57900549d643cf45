"""What the server's routes share: the store and its repositories, the worker (in-process or the queue),
long polls and the webhook sender; started and stopped with the application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from fastapi import Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool
from starlette.concurrency import run_in_threadpool

from .._store import RunRecord, Store
from .._store._async_reads import AsyncReads
from .._store._deliveries import Deliveries, Delivery
from .._store._keys import ApiKeys
from .._store._run_reads import RunReads
from .._store._stored_workflows import StoredWorkflows
from ._key_lookup import KeyLookup
from ._settings import ServerSettings, webhook_secret
from ._waiter import RunWaiter
from ._webhooks import WebhookSender

__all__ = ["Dispatcher", "ServerState", "state_of"]

log = logging.getLogger("encore.server")
T = TypeVar("T")


class Dispatcher(Protocol):
    """Where runs go: the server's in-process worker, or the queue of separate workers."""

    accepts_secrets: bool
    """Runs execute in this process: inline secrets stay in its memory, and its settings are the worker's."""
    name: str

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    def assign(self, run_id: str) -> None: ...
    async def submit(self, run_id: str, secrets: dict[str, str]) -> None: ...
    async def cancel(self, record: RunRecord) -> RunRecord: ...


def read_engine(store: Store) -> Engine:
    """The engine of the requests' reads: on SQLite every one (a key, a polled run, lists), on connections kept open
    in a pool, read-only, instead of the store's one new connection (and its pragmas) per query, which would cost
    more than the rest of the request (a pooled connection is never shared between processes: several server
    processes are PostgreSQL's, and each opens its own). On PostgreSQL the lists' and pages' reads, on threads;
    a key and a polled run are `AsyncReads`."""
    if store.url.path is None:
        # Autocommit, and no ping before each checkout: a read is then one round trip, not four (BEGIN, the
        # query, ROLLBACK when the connection goes back, the ping). A connection the database dropped fails
        # one request, and the pool then replaces its connections.
        return create_engine(store.url.sqlalchemy, pool_size=10, max_overflow=20, pool_recycle=300,
                             isolation_level="AUTOCOMMIT")
    engine = create_engine(
        store.url.sqlalchemy, poolclass=QueuePool, pool_size=8, max_overflow=16,
        connect_args={"timeout": 5.0, "check_same_thread": False},
    )
    event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA query_only=1"))
    return engine


class ServerState:
    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self.store = Store(settings.store)
        reads = read_engine(self.store)
        # psycopg's asynchronous driver needs a selector event loop, which Windows' default (Proactor) is not.
        self.fast = AsyncReads(self.store.url) if self.store.url.is_postgresql and sys.platform != "win32" else None
        """PostgreSQL: the hot reads (a request's key, a polled run) on the event loop; None on SQLite."""
        self.keys = ApiKeys(self.store.engine)
        self.key_lookup = KeyLookup(ApiKeys(reads), self.keys, settings.key_cache_s,
                                    read_async=self.fast.key if self.fast else None)
        self.workflows = StoredWorkflows(self.store.engine)
        self.deliveries = Deliveries(self.store.engine)
        self.reads = RunReads(reads)
        """Runs read on the fast path: `reads.find_polled`, `reads.find_with_deliveries`, `reads.list`; writes go
        through `store.runs`."""
        self.delivery_reads = Deliveries(reads)
        self.waiter = RunWaiter(self.run, settings.poll_s)
        secret, self.webhook_secret_source = webhook_secret(settings)
        self.webhooks = WebhookSender(
            self.deliveries, self.store.runs, secret, attempts=settings.webhook_attempts,
            backoff_s=settings.webhook_backoff_s, timeout_s=settings.webhook_timeout_s,
        )
        self.dispatcher: Dispatcher = self._dispatcher()
        self._sender: asyncio.Task[None] | None = None

    def _dispatcher(self) -> Dispatcher:
        s = self.settings
        if s.worker_mode == "queue":
            from ._queued import QueueDispatcher  # procrastinate loads only in this mode

            return QueueDispatcher(self.store)
        from ._in_process import InProcessWorker

        return InProcessWorker(
            self.store, concurrency=s.concurrency, runs_dir=s.runs_dir, deadline_s=s.deadline_s,
            heal_wait_s=s.heal_wait_s, schedule_poll_s=s.schedule_poll_s, on_final=self.run_changed,
            nice=s.worker_nice,
        )

    # The hot reads of polling clients. SQLite: inline, on a pooled connection (a hop to a worker thread would
    # cost more than the read). PostgreSQL: asynchronous, on the event loop (`AsyncReads`); on a thread where
    # the event loop cannot drive psycopg (Windows).

    async def _sync(self, fn: Callable[..., T], *args: Any) -> T:
        return fn(*args) if self.store.url.path is not None else await run_in_threadpool(fn, *args)

    async def run(self, run_id: str) -> RunRecord | None:
        if self.fast:
            return await self.fast.run(run_id)
        return await self._sync(self.reads.find_polled, run_id)

    async def run_with_deliveries(self, run_id: str) -> tuple[RunRecord, list[Delivery]] | None:
        if self.fast:
            return await self.fast.run_with_deliveries(run_id)
        return await self._sync(self.reads.find_with_deliveries, run_id)

    async def deliveries_of(self, run_id: str) -> list[Delivery]:
        return await self.fast.deliveries(run_id) if self.fast else await self._sync(self.delivery_reads.for_run, run_id)

    def run_changed(self, run_id: str) -> None:
        """A run reached a final status (or was canceled): wake its long polls and the webhook sender."""
        self.waiter.notify(run_id)
        self.webhooks.poke()

    async def start(self) -> None:
        self.waiter.bind(asyncio.get_running_loop())
        if self.fast is not None:
            await self.fast.open()
        try:
            await self.dispatcher.start()
        except BaseException:
            if self.fast is not None:
                await self.fast.close()
            raise
        self._sender = asyncio.create_task(self.webhooks.run(), name="encore webhooks")
        log.info(
            "store %s; worker %s; webhooks signed with the secret in %s", self.store.url,
            f"in-process ({self.settings.concurrency} browser contexts)" if self.dispatcher.accepts_secrets
            else "queue (separate `encore worker` processes)", self.webhook_secret_source,
        )

    async def stop(self) -> None:
        if self._sender is not None:
            self._sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender
        try:
            await self.dispatcher.stop()
        finally:
            if self.fast is not None:
                await self.fast.close()


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.encore
    return state
