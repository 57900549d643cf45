"""Runs as the API reads them: one by id with a statement built once (polling clients read a run hundreds
of times a second, and building and keying a statement per read costs as much as the read), and lists
without each run's workflow definition (a list is polled by every open page of the web UI)."""

from __future__ import annotations

import builtins

from sqlalchemy import Connection, bindparam, select

from ._deliveries import Deliveries, Delivery
from ._errors import CacheError
from ._runs import RunRecord, Runs, _record
from ._schema import RUN_STATUSES, runs

__all__ = ["RunReads"]

_BY_ID = select(runs).where(runs.c.id == bindparam("run_id"))
_LISTED = [column for column in runs.c if column.name != "definition"]
_POLLED = select(*_LISTED).where(runs.c.id == bindparam("run_id"))
"""A run as polling clients read it: without its workflow definition, which no answer shows (and which costs
more to decode than the rest of the row)."""


class RunReads(Runs):
    def get(self, run_id: str) -> RunRecord:
        with self.engine.connect() as connection:
            row = connection.execute(_BY_ID, {"run_id": run_id}).first()
        if row is None:
            raise CacheError(f"no run with id {run_id}")
        return _record(row)

    def find_polled(self, run_id: str) -> RunRecord | None:
        """The run as a polling client reads it (its `definition` left out: None); None when there is no such
        run (a store error is raised, unlike `find`)."""
        with self.engine.connect() as connection:
            return _polled(connection, run_id)

    def find_with_deliveries(self, run_id: str) -> tuple[RunRecord, builtins.list[Delivery]] | None:
        """`find_polled`'s run and its webhook deliveries, on one connection; None when there is no such run."""
        with self.engine.connect() as connection:
            record = _polled(connection, run_id)
            if record is None:
                return None
            deliveries = Deliveries.of_run(connection, run_id)
        return record, deliveries

    def list(
        self,
        *,
        status: str | builtins.list[str] | None = None,
        workflow: str | None = None,
        schedule_id: int | None = None,
        since: float | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> builtins.list[RunRecord]:
        """Newest first, as `Runs.list`, each record's `definition` left out (None)."""
        query = select(*_LISTED)
        if status is not None:
            wanted = [status] if isinstance(status, str) else builtins.list(status)
            unknown = [one for one in wanted if one not in RUN_STATUSES]
            if unknown:
                raise ValueError(f"unknown run status {unknown[0]!r}; one of {', '.join(RUN_STATUSES)}")
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


def _polled(connection: Connection, run_id: str) -> RunRecord | None:
    row = connection.execute(_POLLED, {"run_id": run_id}).first()
    return _record(row) if row is not None else None
