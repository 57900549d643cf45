"""Runs read by id with one statement built once: the API's polling clients read a run hundreds of times a
second, and building and keying a SQLAlchemy statement per read costs as much as the read itself."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from ._errors import CacheError
from ._runs import RunRecord, Runs, _record
from ._schema import runs

__all__ = ["RunReads"]

_BY_ID = select(runs).where(runs.c.id == bindparam("run_id"))


class RunReads(Runs):
    def get(self, run_id: str) -> RunRecord:
        with self.engine.connect() as connection:
            row = connection.execute(_BY_ID, {"run_id": run_id}).first()
        if row is None:
            raise CacheError(f"no run with id {run_id}")
        return _record(row)
