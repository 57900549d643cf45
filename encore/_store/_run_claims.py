"""Runs owned by an in-process worker (`encore serve`): assigned when queued, claimed atomically when started,
and taken back by a restarted server from a server process of this host that died."""

from __future__ import annotations

import time

from sqlalchemy import Engine, select, update

from ._engine import write
from ._runs import RunRecord, Runs
from ._schema import runs

__all__ = ["assign", "claim", "orphans", "requeue"]


def assign(engine: Engine, run_id: str, owner: str) -> None:
    """Mark a queued run as this server's: its worker name is set before it starts."""
    with write(engine) as connection:
        connection.execute(update(runs).where(runs.c.id == run_id, runs.c.status == "queued").values(worker=owner))


def claim(engine: Engine, run_id: str, worker: str) -> RunRecord | None:
    """queued -> running on `worker`, or None when the run is no longer queued (canceled, or taken by another)."""
    with write(engine) as connection:
        changed = connection.execute(
            update(runs).where(runs.c.id == run_id, runs.c.status == "queued")
            .values(status="running", started_at=time.time(), attempts=runs.c.attempts + 1, worker=worker)
        ).rowcount
    return Runs(engine).get(run_id) if changed else None


def orphans(engine: Engine, prefix: str) -> list[RunRecord]:
    """Unfinished runs of in-process workers whose names start with `prefix` (this host's servers)."""
    query = select(runs.c.id).where(
        runs.c.status.in_(("queued", "running")), runs.c.job_id.is_(None), runs.c.worker.startswith(prefix)
    )
    with engine.connect() as connection:
        ids = [row.id for row in connection.execute(query)]
    repository = Runs(engine)
    return [record for record in (repository.find(run_id) for run_id in ids) if record is not None]


def requeue(engine: Engine, run_id: str, dead_worker: str, owner: str) -> bool:
    """Take over a run of a dead server: queued again, assigned to `owner`; False when someone else did."""
    with write(engine) as connection:
        return bool(connection.execute(
            update(runs).where(runs.c.id == run_id, runs.c.worker == dead_worker, runs.c.status.in_(("queued", "running")))
            .values(status="queued", worker=owner)
        ).rowcount)
