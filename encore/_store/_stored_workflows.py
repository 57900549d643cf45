"""Stored workflows: definitions kept in the store under their id, so the API can run them by name."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, delete, select, update

from ._engine import write
from ._errors import CacheError
from ._schema_api import workflows

__all__ = ["StoredWorkflows"]


class StoredWorkflows:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, workflow_id: str, definition: dict[str, Any]) -> bool:
        """Store or replace a definition (already validated); True when it is new."""
        now = time.time()
        with write(self.engine, "workflow", workflow_id) as connection:
            changed = connection.execute(
                update(workflows).where(workflows.c.id == workflow_id).values(definition=definition, updated=now)
            ).rowcount
            if not changed:
                connection.execute(
                    workflows.insert().values(id=workflow_id, definition=definition, created=now, updated=now)
                )
        return not changed

    def get(self, workflow_id: str) -> dict[str, Any]:
        """The definition."""
        return dict(self.row(workflow_id)["definition"])

    def row(self, workflow_id: str) -> dict[str, Any]:
        """id, definition, created, updated."""
        with self.engine.connect() as connection:
            row = connection.execute(select(workflows).where(workflows.c.id == workflow_id)).first()
        if row is None:
            raise CacheError(f"no stored workflow {workflow_id!r}")
        return dict(row._mapping)

    def list(self) -> list[dict[str, Any]]:
        """Every stored workflow: id, definition, created, updated."""
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(select(workflows).order_by(workflows.c.id))]

    def remove(self, workflow_id: str) -> None:
        with write(self.engine) as connection:
            if not connection.execute(delete(workflows).where(workflows.c.id == workflow_id)).rowcount:
                raise CacheError(f"no stored workflow {workflow_id!r}")
