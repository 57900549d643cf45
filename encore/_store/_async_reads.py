"""The API's hot reads on PostgreSQL, on the server's event loop: a request's key, and the run it polls.

Read on a thread, each request paid two hops between the event loop and a thread pool, and under load the
threads and the loop queued behind each other for the interpreter: the server answered slower with CPU to
spare. Here the reads are psycopg's asynchronous driver on its own pool, running the SQL of the synchronous
reads' statements (compiled once) into the same records; SQLAlchemy's execution layer is left out of this
path, as it cost more CPU than the database's answer. A run comes with its webhook deliveries in one
statement (aggregated as JSON by PostgreSQL): each statement costs the client more than the server. The
pool never opens more than `connections`: a burst of requests waits a moment for a connection instead of
opening new ones, since a new PostgreSQL connection (a new backend process) costs more CPU than a hundred
of these reads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import psycopg as psycopg_dialect
from sqlalchemy.sql import Select

from ._deliveries import _OF_RUN, Delivery
from ._deliveries import _record as _delivery
from ._engine import StoreURL
from ._errors import CacheError
from ._keys import _BY_HASH, KEY_PREFIX, ApiKey, key_hash
from ._keys import _record as _key
from ._run_reads import _POLLED
from ._runs import RunRecord
from ._runs import _record as _run
from ._schema import runs
from ._schema_api import webhook_deliveries

__all__ = ["AsyncReads"]


def _sql(statement: Select[Any]) -> str:
    """The statement as psycopg runs it (named `%(name)s` parameters), compiled once."""
    return str(statement.compile(dialect=psycopg_dialect.dialect()))


def _with_deliveries() -> Select[Any]:
    """`_POLLED` plus a `deliveries` column: the run's deliveries as a JSON array, oldest first."""
    delivery = webhook_deliveries.alias("d")
    aggregated = func.coalesce(func.json_agg(aggregate_order_by(delivery.table_valued(), delivery.c.created)),
                               text("'[]'::json"))
    return _POLLED.add_columns(select(aggregated).where(delivery.c.run_id == runs.c.id).scalar_subquery()
                               .label("deliveries"))


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


_KEY_SQL, _RUN_SQL, _DELIVERIES_SQL = _sql(_BY_HASH), _sql(_POLLED), _sql(_OF_RUN)
_RUN_WITH_DELIVERIES_SQL = _sql(_with_deliveries())


class AsyncReads:
    def __init__(self, url: StoreURL, connections: int = 8, timeout_s: float = 5.0) -> None:
        if not url.is_postgresql:
            raise ValueError(f"{url}: asynchronous reads are for PostgreSQL stores")
        self.url = url
        # Autocommit: a read is one round trip, no BEGIN and ROLLBACK around it.
        self.pool = AsyncConnectionPool(
            url.libpq, min_size=connections, max_size=connections, open=False, timeout=timeout_s, max_lifetime=300.0,
            kwargs={"autocommit": True, "row_factory": dict_row}, name="encore-api-reads",
        )

    async def open(self) -> None:
        """Opens the pool (on the event loop that will use it)."""
        await self.pool.open()

    async def close(self) -> None:
        await self.pool.close()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """A pooled connection; a database error is one CacheError naming the store, as the synchronous engine
        says it (integrity errors stay what they are)."""
        try:
            async with self.pool.connection() as connection:
                yield connection
        except PoolTimeout:
            # No connection within the timeout: the server is unreachable, or every connection is busy. The
            # pool keeps reconnecting in the background; one direct attempt says why, if it fails.
            raise CacheError(f"{self.url}: {await self._why_no_connection()}") from None
        except psycopg.IntegrityError:
            raise
        except psycopg.Error as exc:
            raise CacheError(f"{self.url}: {_one_line(exc)}") from None

    async def _why_no_connection(self) -> str:
        try:
            connection = await psycopg.AsyncConnection.connect(self.url.libpq, connect_timeout=2)
        except psycopg.Error as exc:
            return _one_line(exc)
        await connection.close()
        return f"no free connection within {self.pool.timeout:g}s"

    async def key(self, presented: str) -> ApiKey | None:
        """As `ApiKeys.verify`: the key's record (revoked ones too), or None for anything unknown."""
        if not presented.startswith(KEY_PREFIX) or len(presented) > 200:
            return None
        async with self._connection() as connection:
            row = await (await connection.execute(_KEY_SQL, {"digest": key_hash(presented)})).fetchone()
        return _key(row) if row is not None else None

    async def run(self, run_id: str) -> RunRecord | None:
        """The run as `run_with_deliveries` reads it (its `definition` left out: None)."""
        async with self._connection() as connection:
            row = await (await connection.execute(_RUN_SQL, {"run_id": run_id})).fetchone()
        return _run(row) if row is not None else None

    async def run_with_deliveries(self, run_id: str) -> tuple[RunRecord, list[Delivery]] | None:
        """As `RunReads.find_with_deliveries`: the run (its `definition` left out) and its webhook deliveries."""
        async with self._connection() as connection:
            row = await (await connection.execute(_RUN_WITH_DELIVERIES_SQL, {"run_id": run_id})).fetchone()
        if row is None:
            return None
        deliveries = row.pop("deliveries")
        return _run(row), [_delivery(d) for d in deliveries]

    async def deliveries(self, run_id: str) -> list[Delivery]:
        async with self._connection() as connection:
            return [_delivery(d) for d in await (await connection.execute(_DELIVERIES_SQL, {"run_id": run_id})).fetchall()]
