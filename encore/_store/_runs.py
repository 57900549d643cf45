"""Run history: one row per run, from queued to its final status, with what it used and produced (no secrets)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Engine, Row, select, update
from sqlalchemy.exc import IntegrityError

from ._engine import write
from ._errors import CacheError
from ._schema import FINAL_STATUSES, RUN_STATUSES, runs

__all__ = ["RunRecord", "Runs", "params_digest"]


def params_digest(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class RunRecord:
    id: str
    workflow: str
    status: str
    params: dict[str, Any]
    params_digest: str
    queued_at: float
    cache_key: str = ""
    definition: dict[str, Any] | None = None
    run_with: str = "code"
    healed: bool = False
    blocks: list[dict[str, Any]] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    artefacts: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    started_at: float | None = None
    finished_at: float | None = None
    attempts: int = 0
    worker: str = ""
    job_id: int | None = None
    schedule_id: int | None = None
    scheduled_for: float | None = None
    cancel_requested: bool = False

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES

    def as_dict(self, *, definition: bool = False) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        if not definition:
            out.pop("definition")
        return out


class Runs:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self,
        run_id: str,
        workflow: str,
        params: dict[str, Any],
        *,
        status: str = "queued",
        definition: dict[str, Any] | None = None,
        run_with: str = "code",
        cache_key: str = "",
        schedule_id: int | None = None,
        scheduled_for: float | None = None,
    ) -> RunRecord | None:
        """A new run row; None when the schedule's tick already has its run (it fires once)."""
        _check(status)
        now = time.time()
        values = {
            "id": run_id, "workflow": workflow, "cache_key": cache_key, "params": params,
            "params_digest": params_digest(params), "definition": definition, "run_with": run_with,
            "status": status, "blocks": [], "outputs": {}, "artefacts": {}, "queued_at": now,
            "started_at": now if status == "running" else None, "attempts": 1 if status == "running" else 0,
            "schedule_id": schedule_id, "scheduled_for": scheduled_for,
        }
        try:
            with write(self.engine) as connection:
                connection.execute(runs.insert().values(**values))
        except IntegrityError:
            if schedule_id is None:
                raise CacheError(f"a run with id {run_id} already exists") from None
            return None
        return self.get(run_id)

    def get(self, run_id: str) -> RunRecord:
        with self.engine.connect() as connection:
            row = connection.execute(select(runs).where(runs.c.id == run_id)).first()
        if row is None:
            raise CacheError(f"no run with id {run_id}")
        return _record(row)

    def find(self, run_id: str) -> RunRecord | None:
        try:
            return self.get(run_id)
        except CacheError:
            return None

    def list(
        self,
        *,
        status: str | list[str] | None = None,
        workflow: str | None = None,
        schedule_id: int | None = None,
        since: float | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[RunRecord]:
        """Newest first, filtered by status (one or several), workflow, schedule and queue time."""
        query = select(runs)
        if status is not None:
            wanted = [status] if isinstance(status, str) else list(status)
            for one in wanted:
                _check(one)
            query = query.where(runs.c.status.in_(wanted))
        if workflow is not None:
            query = query.where(runs.c.workflow == workflow)
        if schedule_id is not None:
            query = query.where(runs.c.schedule_id == schedule_id)
        if since is not None:
            query = query.where(runs.c.queued_at >= since)
        query = query.order_by(runs.c.queued_at.desc(), runs.c.id.desc()).limit(limit).offset(offset)
        with self.engine.connect() as connection:
            return [_record(row) for row in connection.execute(query)]

    def start(self, run_id: str, worker: str) -> RunRecord | None:
        """Mark the run running on `worker` (a retry counts another attempt); None if it is final already."""
        with write(self.engine) as connection:
            changed = connection.execute(
                update(runs)
                .where(runs.c.id == run_id, runs.c.status.in_(("queued", "running")))
                .values(status="running", started_at=time.time(), attempts=runs.c.attempts + 1, worker=worker)
            ).rowcount
        return self.get(run_id) if changed else None

    def set_job(self, run_id: str, job_id: int) -> None:
        with write(self.engine) as connection:
            connection.execute(update(runs).where(runs.c.id == run_id).values(job_id=job_id))

    def finish(self, run_id: str, status: str, **values: Any) -> RunRecord:
        """Write the run's final status and what it used and produced; a run already final stays as it was."""
        _check(status)
        allowed = {"cache_key", "healed", "blocks", "outputs", "llm_calls", "prompt_tokens", "completion_tokens",
                   "cost_usd", "artefacts", "reason"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown run fields {sorted(unknown)}")
        with write(self.engine) as connection:
            connection.execute(
                update(runs)
                .where(runs.c.id == run_id, runs.c.status.not_in(tuple(FINAL_STATUSES)))
                .values(status=status, finished_at=time.time(), **values)
            )
        return self.get(run_id)

    def request_cancel(self, run_id: str) -> RunRecord:
        """Ask a run to stop: a queued run is canceled here; a running one is flagged for its worker."""
        self.get(run_id)
        with write(self.engine) as connection:
            connection.execute(update(runs).where(runs.c.id == run_id).values(cancel_requested=True))
            connection.execute(
                update(runs)
                .where(runs.c.id == run_id, runs.c.status == "queued")
                .values(status="canceled", finished_at=time.time(), reason="canceled before it started")
            )
        return self.get(run_id)

    def unqueued(self, older_than_s: float) -> list[RunRecord]:
        """Queued runs that never reached the queue (their submitter died between the two writes)."""
        cutoff = time.time() - older_than_s
        query = select(runs).where(runs.c.status == "queued", runs.c.job_id.is_(None), runs.c.queued_at < cutoff)
        with self.engine.connect() as connection:
            return [_record(row) for row in connection.execute(query)]

    async def wait(self, run_id: str, timeout_s: float, poll_s: float = 0.2) -> RunRecord:
        """The run once it is final, or as it is when `timeout_s` runs out (a long poll)."""
        deadline = time.monotonic() + timeout_s
        while True:
            record = self.get(run_id)
            if record.final or time.monotonic() >= deadline:
                return record
            await asyncio.sleep(min(poll_s, max(0.0, deadline - time.monotonic())))


def _check(status: str) -> None:
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; one of {', '.join(RUN_STATUSES)}")


def _record(row: Row[Any] | Mapping[str, Any]) -> RunRecord:
    data = dict(getattr(row, "_mapping", row))  # a SQLAlchemy row, or a psycopg dict row (`AsyncReads`)
    data["healed"] = bool(data["healed"])
    data["cancel_requested"] = bool(data["cancel_requested"])
    return RunRecord(**data)
