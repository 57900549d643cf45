"""The heal lock: the exclusive right to heal (or first record) one slot, across processes and machines.

PostgreSQL: a session advisory lock on a connection held for the heal; SQLite: `flock` on a file beside the
store. Either way the operating system or the server releases it when its holder dies (a SIGKILLed worker
leaves no stale lock), and acquiring polls, so a waiting run never blocks its event loop.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, text

from ._engine import lock_key

__all__ = ["HealLock", "heal_lock"]

_POLL_S = 0.1


class HealLock(Protocol):
    def try_acquire(self) -> bool: ...
    def release(self) -> None: ...


async def acquire(lock: HealLock, timeout_s: float) -> bool:
    """Wait up to `timeout_s` for the lock; True when held."""
    deadline = time.monotonic() + timeout_s
    while not lock.try_acquire():
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(_POLL_S)
    return True


def heal_lock(engine: Engine, sqlite_path: Path | None, *slot: str) -> HealLock:
    if engine.dialect.name == "postgresql":
        return _AdvisoryLock(engine, lock_key("heal", *slot))
    assert sqlite_path is not None
    return _FileLock(sqlite_path.with_name(sqlite_path.name + "-locks") / f"{lock_key('heal', *slot) & 0xFFFFFFFFFFFF:012x}")


class _AdvisoryLock:
    def __init__(self, engine: Engine, key: int) -> None:
        self.engine, self.key = engine, key
        self.connection: Connection | None = None

    def try_acquire(self) -> bool:
        if self.connection is None:
            self.connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        held = self.connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar()
        return bool(held)

    def release(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        finally:
            self.connection.close()  # closing ends the session, which would release the lock anyway
            self.connection = None


class _FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        if self.fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # per open file: two runs in one process exclude too
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing drops the flock
            self.fd = None
