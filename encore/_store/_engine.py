"""Engines for the store's two backends, write transactions that serialise per slot, and migrations on open.

`ENCORE_STORE` (or a `--cache` argument) is a file path for SQLite, the embedded default, or a
`postgresql://…` URL; nothing else in Encore changes between the two.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.pool import NullPool

from ._errors import CacheError
from ._schema import HEAD

__all__ = ["DEFAULT_STORE", "StoreURL", "connect", "default_store", "lock_key", "migrate", "write"]

DEFAULT_STORE = Path(".encore/cache.sqlite")
_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_MIGRATE_LOCK = 0x656E636F7265  # "encore": the advisory lock PostgreSQL migrations run under


def default_store() -> str:
    """Where the store is when nothing names it: `ENCORE_STORE`, else the SQLite file under .encore/."""
    return os.environ.get("ENCORE_STORE") or str(DEFAULT_STORE)


class StoreURL:
    """A store location: a SQLite file path (or sqlite:/// URL) or a PostgreSQL URL."""

    def __init__(self, location: str | Path) -> None:
        given = str(location)
        if given.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            rest = given.split("://", 1)[1]
            self.backend = "postgresql"
            self.sqlalchemy = f"postgresql+psycopg://{rest}"
            self.libpq = f"postgresql://{rest}"  # psycopg and procrastinate take the plain form
            self.path: Path | None = None
        elif "://" in given and not given.startswith("sqlite:"):
            raise CacheError(f"{given}: a store is a SQLite file path or a postgresql:// URL")
        else:
            self.backend = "sqlite"
            self.path = Path(given.removeprefix("sqlite:///")) if given.startswith("sqlite:") else Path(given)
            self.sqlalchemy = f"sqlite:///{self.path}"
            self.libpq = ""

    @property
    def is_postgresql(self) -> bool:
        return self.backend == "postgresql"

    def __str__(self) -> str:
        if self.path is not None:
            return str(self.path)
        return _without_password(self.libpq)


def _without_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def connect(url: StoreURL, timeout_s: float) -> Engine:
    """An engine for the URL; SQLite in WAL with full fsync, and `BEGIN IMMEDIATE` for writes."""
    if not url.is_postgresql:
        assert url.path is not None
        url.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per use: the file is shared with other processes, and a pooled connection kept
        # across a fork would be shared by two processes.
        engine = create_engine(url.sqlalchemy, poolclass=NullPool, connect_args={"timeout": timeout_s})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url.sqlalchemy, pool_pre_ping=True, pool_size=5, max_overflow=10)
    event.listen(engine, "handle_error", _unusable_store(url))
    return engine


def _unusable_store(url: StoreURL):  # type: ignore[no-untyped-def]
    """A corrupt page, a deleted file, a full disk, a lost server: one CacheError the run can handle.

    Integrity errors stay what they are: the store's callers read them (a duplicate heal, a run id taken).
    """

    def handle(context) -> None:  # type: ignore[no-untyped-def]
        error = context.sqlalchemy_exception
        if isinstance(error, (OperationalError, DatabaseError)) and not isinstance(error, IntegrityError):
            cause = " ".join(str(getattr(error, "orig", error)).split()) or type(error).__name__
            raise CacheError(f"{url}: {cause}") from None

    return handle


def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below), pysqlite must not
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A write takes the lock at BEGIN: version numbers are read then written in one transaction.
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def lock_key(*parts: str) -> int:
    """A signed 64-bit key for PostgreSQL advisory locks, from the parts' digest."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def write(engine: Engine, *lock: str) -> Iterator[Connection]:
    """One write transaction; on PostgreSQL it also holds the advisory lock of `lock` (a slot) until commit."""
    with engine.connect().execution_options(immediate=True) as connection, connection.begin():
        if lock and engine.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(*lock)})
        yield connection


_migrated: set[str] = set()
_migrating = threading.Lock()


def migrate(engine: Engine, url: StoreURL) -> None:
    """Bring the store to the newest schema: created when new, upgraded in place when older. Once per process."""
    if url.sqlalchemy in _migrated:
        return
    with _migrating:
        try:
            with write(engine) as connection:
                if engine.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATE_LOCK})
                if _revision(connection) != HEAD:
                    _upgrade(connection)
        except (OperationalError, DatabaseError, CacheError) as exc:
            cause = getattr(exc, "orig", None) or str(exc).removeprefix(f"{url}: ")
            if url.is_postgresql:
                raise CacheError(f"{url}: cannot open the store: {str(cause).strip().splitlines()[0]}") from None
            raise CacheError(f"{url}: not a usable cache file: {cause}") from None
        _migrated.add(url.sqlalchemy)


def _revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
