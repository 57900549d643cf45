"""The procrastinate app on the store's PostgreSQL database, and its schema, applied once per database."""

from __future__ import annotations

import procrastinate
import psycopg

from .._store import CacheError, Store

__all__ = ["QUEUE_RUNS", "QUEUE_UPKEEP", "ensure_schema", "make_app", "require_postgresql"]

QUEUE_RUNS = "encore-runs"
QUEUE_UPKEEP = "encore-upkeep"
_SCHEMA_LOCK = 0x656E636F7271  # advisory lock: two workers starting together apply the schema once


def require_postgresql(store: Store) -> str:
    """The libpq URL of the store's database; the queue lives beside the store, so it needs PostgreSQL."""
    if not store.is_postgresql:
        raise CacheError(
            f"{store.url}: workers and the queue need a PostgreSQL store; set ENCORE_STORE=postgresql://… "
            "(the embedded SQLite store runs workflows in-process with `encore run`)"
        )
    return store.url.libpq


def make_app(store: Store) -> procrastinate.App:
    from ._tasks import blueprint

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=require_postgresql(store)))
    app.add_tasks_from(blueprint, namespace="encore")
    return app


def ensure_schema(store: Store) -> None:
    """Apply procrastinate's schema to the store's database when it is not there yet."""
    try:
        with psycopg.connect(require_postgresql(store), autocommit=True) as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
            try:
                present = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
                if present is None or present[0] is None:
                    connection.execute(procrastinate.schema.SchemaManager.get_schema())
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))
    except psycopg.Error as exc:
        raise CacheError(f"{store.url}: cannot prepare the queue: {str(exc).strip().splitlines()[0]}") from None
