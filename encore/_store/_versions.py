"""Cache versions per slot, pins and heal streaks, on either backend."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, Row, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from tracer import Trace, canonical_json, parse_trace

from ._engine import write
from ._errors import CacheError
from ._schema import heal_streaks, versions

__all__ = ["DuplicateHeal", "Origin", "Slot", "Version", "Versions"]

Origin = Literal["agent", "healed_element", "healed_block"]


class DuplicateHeal(CacheError):
    """Another run already stored a heal of the same version of this slot."""


@dataclass(frozen=True)
class Slot:
    """Where versions of one block are kept: workflow, cache key, block label, branch."""

    workflow: str
    cache_key: str
    block: str
    branch: str = ""

    def describe(self) -> str:
        """The slot as `workflow [cache key] block (branch)`."""
        return f"{self.workflow} [{self.cache_key}] {self.block}" + (f" ({self.branch})" if self.branch else "")

    def parts(self) -> tuple[str, str, str, str]:
        """(workflow, cache key, block, branch), as the store's columns hold them."""
        return (self.workflow, self.cache_key, self.block, self.branch)


@dataclass(frozen=True)
class Version:
    """One cached version of a block: its trace, script, digest, origin and whether it is pinned."""

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
    parent: int | None = None

    def trace(self) -> Trace:
        """The version's trace, parsed."""
        return parse_trace(self.trace_json, source=f"cache version {self.id}")


class Versions:
    """Every version of every slot; a write is one transaction, serialised per slot across processes and hosts."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- reading --------------------------------------------------------------

    def latest(self, slot: Slot) -> Version | None:
        """The version to run: the newest pinned one if any is pinned, else the newest."""
        query = (
            select(versions).where(*_in(slot)).order_by(versions.c.pinned.desc(), versions.c.version.desc()).limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return _version(row) if row else None

    def get(self, version_id: int) -> Version:
        with self.engine.connect() as connection:
            row = connection.execute(select(versions).where(versions.c.id == version_id)).first()
        if row is None:
            raise CacheError(f"no cached version with id {version_id}")
        return _version(row)

    def versions(self, workflow: str | None = None, block: str | None = None) -> list[Version]:
        query = select(versions)
        if workflow is not None:
            query = query.where(versions.c.workflow == workflow)
        if block is not None:
            query = query.where(versions.c.block == block)
        order = (versions.c.workflow, versions.c.cache_key, versions.c.branch, versions.c.block, versions.c.version)
        with self.engine.connect() as connection:
            return [_version(row) for row in connection.execute(query.order_by(*order))]

    def heal_streak(self, slot: Slot) -> int:
        query = select(heal_streaks.c.streak).where(*_in(slot, heal_streaks))
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar() or 0)

    # --- writing --------------------------------------------------------------

    def add(
        self, slot: Slot, trace: Trace, script: str, *, run_id: str, origin: Origin, note: str = "",
        parent: int | None = None,
    ) -> Version:
        """Store a new version of the slot, numbered after the last; returns it.

        `parent` is the version a heal started from: a second heal of the same version raises DuplicateHeal.
        """
        row: dict[str, Any] = {
            "workflow": slot.workflow, "cache_key": slot.cache_key, "block": slot.block, "branch": slot.branch,
            "trace": canonical_json(trace), "script": script, "sha256": hashlib.sha256(script.encode()).hexdigest(),
            "run_id": run_id, "origin": origin, "created": time.time(), "note": note, "parent": parent,
            "pinned": False,
        }
        try:
            with write(self.engine, *slot.parts()) as connection:
                last = connection.execute(select(func.coalesce(func.max(versions.c.version), 0)).where(*_in(slot))).scalar()
                inserted = connection.execute(versions.insert().values(**row, version=int(last or 0) + 1))
                version_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        except IntegrityError:
            if parent is None:
                raise
            raise DuplicateHeal(f"{slot.describe()}: version {parent} was already healed by another run") from None
        return self.get(version_id)

    def record_outcome(self, slot: Slot, *, healed: bool) -> int:
        """Count consecutive runs that needed healing (a clean run resets it); returns the new streak.

        The counter lives in the store, so runs on different workers share it: a heal loop is one loop.
        """
        with write(self.engine, *slot.parts()) as connection:
            if not healed:
                connection.execute(delete(heal_streaks).where(*_in(slot, heal_streaks)))
                return 0
            insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
            statement = insert(heal_streaks).values(
                workflow=slot.workflow, cache_key=slot.cache_key, block=slot.block, branch=slot.branch, streak=1
            )
            statement = statement.on_conflict_do_update(
                index_elements=["workflow", "cache_key", "block", "branch"],
                set_={"streak": heal_streaks.c.streak + 1},
            ).returning(heal_streaks.c.streak)
            return int(connection.execute(statement).scalar_one())

    def pin(self, version_id: int, pinned: bool = True) -> Version:
        self.get(version_id)
        with write(self.engine) as connection:
            connection.execute(update(versions).where(versions.c.id == version_id).values(pinned=pinned))
        return self.get(version_id)

    def remove(self, *, version_id: int | None = None, workflow: str | None = None) -> int:
        """Delete one version, or every version of a workflow; returns how many went."""
        if (version_id is None) == (workflow is None):
            raise CacheError("remove takes exactly one of a version id or a workflow")
        with write(self.engine) as connection:
            if version_id is not None:
                count = connection.execute(delete(versions).where(versions.c.id == version_id)).rowcount
            else:
                count = connection.execute(delete(versions).where(versions.c.workflow == workflow)).rowcount
                connection.execute(delete(heal_streaks).where(heal_streaks.c.workflow == workflow))
        if count == 0:
            raise CacheError(f"nothing cached for {'version ' + str(version_id) if version_id else workflow}")
        return count


def _in(slot: Slot, table: Any = versions) -> tuple[Any, ...]:
    return (
        table.c.workflow == slot.workflow,
        table.c.cache_key == slot.cache_key,
        table.c.block == slot.block,
        table.c.branch == slot.branch,
    )


def _version(row: Row[Any]) -> Version:
    return Version(
        id=row.id,
        slot=Slot(row.workflow, row.cache_key, row.block, row.branch),
        version=row.version,
        trace_json=row.trace,
        script=row.script,
        sha256=row.sha256,
        run_id=row.run_id,
        origin=row.origin,
        created=row.created,
        pinned=bool(row.pinned),
        note=row.note,
        parent=row.parent,
    )
