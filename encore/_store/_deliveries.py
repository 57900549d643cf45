"""Webhook deliveries: one row per run and URL, waiting for the run's final status, then attempted until
delivered or out of attempts. Senders claim a due delivery with a lease, so several servers on one
PostgreSQL store never send the same attempt twice, and a sender that dies mid-attempt is retried later."""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, and_, bindparam, or_, select, update

from ._engine import write
from ._schema import FINAL_STATUSES, runs
from ._schema_api import webhook_deliveries as table

__all__ = ["Deliveries", "Delivery"]

_OF_RUN = select(table).where(table.c.run_id == bindparam("run_id")).order_by(table.c.created)  # read with each run


@dataclass(frozen=True)
class Delivery:
    id: str
    run_id: str
    url: str
    state: str
    attempts: int
    created: float
    next_attempt_at: float | None = None
    lease_until: float | None = None
    last_status: int | None = None
    last_error: str = ""
    delivered_at: float | None = None


class Deliveries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, run_id: str, url: str) -> Delivery:
        delivery_id = secrets.token_hex(16)
        with write(self.engine) as connection:
            connection.execute(table.insert().values(
                id=delivery_id, run_id=run_id, url=url, state="waiting", attempts=0, created=time.time(), last_error="",
            ))
        return self.get(delivery_id)

    def get(self, delivery_id: str) -> Delivery:
        with self.engine.connect() as connection:
            return _record(connection.execute(select(table).where(table.c.id == delivery_id)).one())

    def for_run(self, run_id: str) -> list[Delivery]:
        with self.engine.connect() as connection:
            return self.of_run(connection, run_id)

    @staticmethod
    def of_run(connection: Connection, run_id: str) -> list[Delivery]:
        """The run's deliveries, on a connection the caller holds (to read them with the run)."""
        return [_record(row) for row in connection.execute(_OF_RUN, {"run_id": run_id})]

    def promote(self, now: float) -> int:
        """Deliveries whose run has reached a final status become due now.

        Looked for with a read first: the sender asks twice a second, and a write transaction each time
        would queue behind the runs' own writes on SQLite for nothing.
        """
        ready = select(table.c.id).join(runs, runs.c.id == table.c.run_id).where(
            table.c.state == "waiting", runs.c.status.in_(tuple(FINAL_STATUSES))
        )
        with self.engine.connect() as connection:
            ids = [row.id for row in connection.execute(ready)]
        if not ids:
            return 0
        with write(self.engine) as connection:
            return int(connection.execute(
                update(table).where(table.c.id.in_(ids), table.c.state == "waiting")
                .values(state="pending", next_attempt_at=now)
            ).rowcount)

    def claim(self, now: float, lease_s: float, limit: int = 20) -> list[Delivery]:
        """Due deliveries nobody holds, each leased to this sender by a conditional update (one winner)."""
        free = or_(table.c.lease_until.is_(None), table.c.lease_until < now)
        due = and_(table.c.state == "pending", table.c.next_attempt_at <= now, free)
        with self.engine.connect() as connection:
            candidates = [row.id for row in connection.execute(select(table.c.id).where(due).limit(limit))]
        claimed = []
        for delivery_id in candidates:
            with write(self.engine) as connection:
                won = connection.execute(
                    update(table).where(table.c.id == delivery_id, due).values(lease_until=now + lease_s)
                ).rowcount
            if won:
                claimed.append(self.get(delivery_id))
        return claimed

    def succeeded(self, delivery_id: str, status_code: int, now: float) -> None:
        self._attempted(delivery_id, state="delivered", last_status=status_code, last_error="", delivered_at=now)

    def attempt_failed(self, delivery_id: str, status_code: int | None, error: str, retry_at: float | None) -> None:
        """One failed attempt; `retry_at` None means no attempt is left."""
        state = "failed" if retry_at is None else "pending"
        self._attempted(delivery_id, state=state, last_status=status_code, last_error=error[:500], next_attempt_at=retry_at)

    def _attempted(self, delivery_id: str, **values: Any) -> None:
        with write(self.engine) as connection:
            connection.execute(
                update(table).where(table.c.id == delivery_id)
                .values(attempts=table.c.attempts + 1, lease_until=None, **values)
            )


def _record(row: Row[Any] | Mapping[str, Any]) -> Delivery:
    return Delivery(**dict(getattr(row, "_mapping", row)))  # a SQLAlchemy row, or a psycopg dict row
