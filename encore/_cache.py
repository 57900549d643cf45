"""The cache: every version of every block's trace and script, in one SQLite file.

A slot is (workflow, cache key, block label, branch); each slot keeps all its versions. SQLite gives
the guarantees the cache needs without a server: a write is one transaction (a killed writer leaves
the last committed version intact), and concurrent runs serialise on `BEGIN IMMEDIATE` with a busy
timeout instead of corrupting the file.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tracer import Trace, canonical_json, parse_trace, write_atomic

__all__ = ["Cache", "CacheError", "Slot", "Version"]

Origin = Literal["agent", "healed_element", "healed_block"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workflow TEXT NOT NULL,
    cache_key TEXT NOT NULL,
    block TEXT NOT NULL,
    branch TEXT NOT NULL,
    version INTEGER NOT NULL,
    trace TEXT NOT NULL,
    script TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    run_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    created REAL NOT NULL,
    pinned INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (workflow, cache_key, block, branch, version)
);
CREATE TABLE IF NOT EXISTS heal_streaks (
    workflow TEXT NOT NULL,
    cache_key TEXT NOT NULL,
    block TEXT NOT NULL,
    branch TEXT NOT NULL,
    streak INTEGER NOT NULL,
    PRIMARY KEY (workflow, cache_key, block, branch)
);
"""


class CacheError(RuntimeError):
    """The cache file cannot be used, or a version does not exist."""


@dataclass(frozen=True)
class Slot:
    workflow: str
    cache_key: str
    block: str
    branch: str = ""

    def describe(self) -> str:
        return f"{self.workflow} [{self.cache_key}] {self.block}" + (f" ({self.branch})" if self.branch else "")


@dataclass(frozen=True)
class Version:
    id: int
    slot: Slot
    version: int
    trace_json: str
    script: str
    sha256: str
    run_id: str
    origin: str
    created: float
    pinned: bool
    note: str

    def trace(self) -> Trace:
        return parse_trace(self.trace_json, source=f"cache version {self.id}")


class Cache:
    def __init__(self, path: str | Path, *, timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=self.timeout_s, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise CacheError(f"{self.path}: not a usable cache file: {exc}") from None
        try:
            yield db
        except sqlite3.Error as exc:  # a corrupt page, a deleted file, a full disk: one error the run can handle
            raise CacheError(f"{self.path}: {' '.join(str(exc).split()) or type(exc).__name__}") from None
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")  # take the write lock now: version numbers are read then written
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # --- reading --------------------------------------------------------------

    def latest(self, slot: Slot) -> Version | None:
        """The version to run: the newest pinned one if any is pinned, else the newest."""
        with self._connect() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM versions WHERE workflow=? AND cache_key=? AND block=? AND branch=?"
                " ORDER BY pinned DESC, version DESC LIMIT 1",
                _key(slot),
            ).fetchone()
        return _version(row) if row else None

    def get(self, version_id: int) -> Version:
        with self._connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM versions WHERE id=?", (version_id,)).fetchone()
        if row is None:
            raise CacheError(f"no cached version with id {version_id}")
        return _version(row)

    def versions(self, workflow: str | None = None, block: str | None = None) -> list[Version]:
        query, args = f"SELECT {_COLUMNS} FROM versions WHERE 1=1", []
        if workflow is not None:
            query, args = query + " AND workflow=?", [*args, workflow]
        if block is not None:
            query, args = query + " AND block=?", [*args, block]
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY workflow, cache_key, branch, block, version", args).fetchall()
        return [_version(row) for row in rows]

    def heal_streak(self, slot: Slot) -> int:
        with self._connect() as db:
            row = db.execute(
                "SELECT streak FROM heal_streaks WHERE workflow=? AND cache_key=? AND block=? AND branch=?", _key(slot)
            ).fetchone()
        return int(row[0]) if row else 0

    # --- writing --------------------------------------------------------------

    def add(self, slot: Slot, trace: Trace, script: str, *, run_id: str, origin: Origin, note: str = "") -> Version:
        """Store a new version of the slot, numbered after the last; returns it."""
        trace_json = canonical_json(trace)
        digest = hashlib.sha256(script.encode("utf-8")).hexdigest()
        with self._write() as db:
            (last,) = db.execute(
                "SELECT COALESCE(MAX(version), 0) FROM versions WHERE workflow=? AND cache_key=? AND block=? AND branch=?",
                _key(slot),
            ).fetchone()
            cursor = db.execute(
                "INSERT INTO versions (workflow, cache_key, block, branch, version, trace, script, sha256, run_id,"
                " origin, created, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*_key(slot), last + 1, trace_json, script, digest, run_id, origin, time.time(), note),
            )
            version_id = cursor.lastrowid
        return self.get(int(version_id or 0))

    def record_outcome(self, slot: Slot, *, healed: bool) -> int:
        """Count consecutive runs that needed healing (a clean run resets it); returns the new streak."""
        with self._write() as db:
            if not healed:
                db.execute("DELETE FROM heal_streaks WHERE workflow=? AND cache_key=? AND block=? AND branch=?", _key(slot))
                return 0
            db.execute(
                "INSERT INTO heal_streaks VALUES (?,?,?,?,1) ON CONFLICT DO UPDATE SET streak = streak + 1", _key(slot)
            )
            (streak,) = db.execute(
                "SELECT streak FROM heal_streaks WHERE workflow=? AND cache_key=? AND block=? AND branch=?", _key(slot)
            ).fetchone()
        return int(streak)

    def pin(self, version_id: int, pinned: bool = True) -> Version:
        self.get(version_id)
        with self._write() as db:
            db.execute("UPDATE versions SET pinned=? WHERE id=?", (int(pinned), version_id))
        return self.get(version_id)

    def remove(self, *, version_id: int | None = None, workflow: str | None = None) -> int:
        """Delete one version, or every version of a workflow; returns how many went."""
        if (version_id is None) == (workflow is None):
            raise CacheError("remove takes exactly one of a version id or a workflow")
        with self._write() as db:
            if version_id is not None:
                count = db.execute("DELETE FROM versions WHERE id=?", (version_id,)).rowcount
            else:
                count = db.execute("DELETE FROM versions WHERE workflow=?", (workflow,)).rowcount
                db.execute("DELETE FROM heal_streaks WHERE workflow=?", (workflow,))
        if count == 0:
            raise CacheError(f"nothing cached for {'version ' + str(version_id) if version_id else workflow}")
        return count

    def script_path(self, version: Version) -> Path:
        """The version's script as a file beside the cache (written once, atomically), to import and to read."""
        path = self.path.parent / "scripts" / f"{version.sha256}.py"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, version.script)
        return path


_COLUMNS = "id, workflow, cache_key, block, branch, version, trace, script, sha256, run_id, origin, created, pinned, note"


def _key(slot: Slot) -> tuple[str, str, str, str]:
    return (slot.workflow, slot.cache_key, slot.block, slot.branch)


def _version(row: tuple) -> Version:
    (id_, workflow, key, block, branch, version, trace, script, digest, run_id, origin, created, pinned, note) = row
    return Version(
        id=id_,
        slot=Slot(workflow, key, block, branch),
        version=version,
        trace_json=trace,
        script=script,
        sha256=digest,
        run_id=run_id,
        origin=origin,
        created=created,
        pinned=bool(pinned),
        note=note,
    )
