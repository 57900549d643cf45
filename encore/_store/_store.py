"""The store: one engine, its schema brought up to date, and the repositories that share it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import Engine

from ._engine import StoreURL, connect, default_store, migrate
from ._locks import HealLock, heal_lock
from ._runs import Runs
from ._schedules import Schedules
from ._versions import Slot, Versions

__all__ = ["Store"]

_engines: dict[tuple[str, float], Engine] = {}
_engines_lock = threading.Lock()


class Store:
    """Cache versions, heal streaks, runs and schedules in SQLite (a file) or PostgreSQL (a URL).

    `Store()` opens `ENCORE_STORE`, else `.encore/cache.sqlite`; the schema is created or upgraded in place.
    """

    def __init__(self, location: str | Path | None = None, *, timeout_s: float = 60.0) -> None:
        self.url = StoreURL(location if location is not None else default_store())
        key = (self.url.sqlalchemy, timeout_s)
        with _engines_lock:
            if key not in _engines:
                _engines[key] = connect(self.url, timeout_s)
            self.engine = _engines[key]
        migrate(self.engine, self.url)
        self.versions = Versions(self.engine)
        self.runs = Runs(self.engine)
        self.schedules = Schedules(self.engine)

    @property
    def is_postgresql(self) -> bool:
        """The store is a PostgreSQL database (shared by many machines), not a SQLite file."""
        return self.url.is_postgresql

    @property
    def scripts_dir(self) -> Path:
        """Where versions' scripts are written to be imported: beside a SQLite file, else local to this host."""
        if self.url.path is not None:
            return self.url.path.parent / "scripts"
        return Path(os.environ.get("ENCORE_SCRIPTS", ".encore/scripts"))

    def heal_lock(self, slot: Slot) -> HealLock:
        """The slot's cluster-wide heal lock (a PostgreSQL advisory lock, or `flock` beside a SQLite file)."""
        return heal_lock(self.engine, self.url.path, *slot.parts())

    def __repr__(self) -> str:
        return f"Store({str(self.url)!r})"
