"""The cache: every version of every block's trace and script, kept in the store (SQLite or PostgreSQL).

A slot is (workflow, cache key, block label, branch); each slot keeps all its versions. `Cache` keeps
the interface it had when it was a SQLite file of its own; the store under it gives the guarantees:
a write is one transaction (a killed writer leaves the last committed version intact), and concurrent
writers serialise per slot (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's advisory locks) instead of clashing.
"""

from __future__ import annotations

from pathlib import Path

from tracer import Trace, write_atomic

from ._store import CacheError, HealLock, Origin, Slot, Store, Version

__all__ = ["Cache", "CacheError", "Slot", "Version"]


class Cache:
    """Versions per slot, pins and heal streaks; `Cache(path)` for a SQLite file, `Cache(url)` for PostgreSQL."""

    def __init__(self, path: str | Path | Store | None = None, *, timeout_s: float = 60.0) -> None:
        self.store = path if isinstance(path, Store) else Store(path, timeout_s=timeout_s)
        self.path: Path | None = self.store.url.path
        self.timeout_s = timeout_s
        self._versions = self.store.versions

    # --- reading --------------------------------------------------------------

    def latest(self, slot: Slot) -> Version | None:
        """The version to run: the newest pinned one if any is pinned, else the newest."""
        return self._versions.latest(slot)

    def get(self, version_id: int) -> Version:
        """The version with this row id (CacheError when there is none)."""
        return self._versions.get(version_id)

    def versions(self, workflow: str | None = None, block: str | None = None) -> list[Version]:
        """Every version, optionally of one workflow and block, by slot then version."""
        return self._versions.versions(workflow, block)

    def heal_streak(self, slot: Slot) -> int:
        """How many runs in a row needed to heal this slot."""
        return self._versions.heal_streak(slot)

    # --- writing --------------------------------------------------------------

    def add(
        self, slot: Slot, trace: Trace, script: str, *, run_id: str, origin: Origin, note: str = "",
        parent: int | None = None,
    ) -> Version:
        """Store a new version of the slot, numbered after the last; returns it."""
        return self._versions.add(slot, trace, script, run_id=run_id, origin=origin, note=note, parent=parent)

    def record_outcome(self, slot: Slot, *, healed: bool) -> int:
        """Count consecutive runs that needed healing (a clean run resets it); returns the new streak."""
        return self._versions.record_outcome(slot, healed=healed)

    def pin(self, version_id: int, pinned: bool = True) -> Version:
        """Pin (or unpin) a version: a pinned version runs, and is never healed or regenerated."""
        return self._versions.pin(version_id, pinned)

    def remove(self, *, version_id: int | None = None, workflow: str | None = None) -> int:
        """Delete one version, or every version of a workflow; returns how many went."""
        return self._versions.remove(version_id=version_id, workflow=workflow)

    def heal_lock(self, slot: Slot) -> HealLock:
        """The slot's cluster-wide heal lock (see `encore._store._locks`)."""
        return self.store.heal_lock(slot)

    def script_path(self, version: Version) -> Path:
        """The version's script as a file (written once, atomically, named by its digest), to import and to read."""
        path = self.store.scripts_dir / f"{version.sha256}.py"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, version.script)
        return path
