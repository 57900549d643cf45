"""What the server's routes share: the store and its repositories, the worker (in-process or the queue),
long polls and the webhook sender; started and stopped with the application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from fastapi import Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool
from starlette.concurrency import run_in_threadpool

from .._store import RunRecord, Store
from .._store._deliveries import Deliveries
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
    """The engine of every request's reads (its key, a run): on SQLite, connections kept open in a pool, read-only,
    instead of the store's one new connection (and its pragmas) per query, which would cost more than the rest
    of the request (the server does not fork, so a pooled connection is never shared between processes)."""
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
        self.keys = ApiKeys(self.store.engine)
        self.key_lookup = KeyLookup(ApiKeys(reads), self.keys, settings.key_cache_s)
        self.workflows = StoredWorkflows(self.store.engine)
        self.deliveries = Deliveries(self.store.engine)
        self.reads = RunReads(reads)
        """Runs read on the fast path: `reads.get`, `reads.list`; writes go through `store.runs`."""
        self.delivery_reads = Deliveries(reads)
        self.inline_reads = self.store.url.path is not None
        self.waiter = RunWaiter(self.reads, settings.poll_s)
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
        )

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """A quick read on the request's path. SQLite: inline, on a pooled connection (a hop to a worker thread
        would cost more than the read). PostgreSQL: on a worker thread, so that requests waiting on the
        database overlap instead of queueing behind each other on the event loop."""
        if self.inline_reads:
            return fn(*args)
        return await run_in_threadpool(fn, *args)

    def run_changed(self, run_id: str) -> None:
        """A run reached a final status (or was canceled): wake its long polls and the webhook sender."""
        self.waiter.notify(run_id)
        self.webhooks.poke()

    async def start(self) -> None:
        self.waiter.bind(asyncio.get_running_loop())
        await self.dispatcher.start()
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
        await self.dispatcher.stop()


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.encore
    return state
