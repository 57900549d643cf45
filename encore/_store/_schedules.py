"""Schedules: a cron expression (parsed by croniter) in a time zone, a workflow and its plain parameters.

Missed ticks: a schedule fires at most once per pass of the periodic task, for its most recent due tick.
After downtime the ticks missed while no worker was running are coalesced into that one run, never
replayed one by one (a nightly job down for a week runs once, not seven times). Pausing skips ticks;
resuming starts from the next tick after now.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from sqlalchemy import Engine, Row, delete, select, update

from ._engine import write
from ._errors import CacheError
from ._runs import RunRecord, Runs, params_digest
from ._schema import runs, schedules

__all__ = ["ScheduleRecord", "Schedules", "check_cron", "next_tick"]


@dataclass(frozen=True)
class ScheduleRecord:
    id: int
    cron: str
    timezone: str
    workflow: str
    params: dict[str, Any]
    run_with: str
    paused: bool
    created: float
    next_fire_at: float
    last_fired_at: float | None = None
    last_run_id: str | None = None
    definition: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "definition"}


def check_cron(expression: str, zone: str) -> None:
    """A standard five-field cron expression and an IANA time zone, or a ValueError naming what is wrong."""
    if len(expression.split()) != 5 or not croniter.is_valid(expression):
        raise ValueError(f"cron {expression!r}: expected five fields (minute hour day month weekday), e.g. '0 6 * * *'")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"time zone {zone!r}: not an IANA zone name (e.g. UTC, Europe/Paris)") from None


def next_tick(expression: str, zone: str, after: float) -> float:
    """The first tick strictly after `after` (epoch seconds), in the schedule's zone (DST handled by croniter)."""
    start = datetime.fromtimestamp(after, ZoneInfo(zone))
    return float(croniter(expression, start).get_next(datetime).timestamp())


def _latest_tick(expression: str, zone: str, at: float) -> float:
    start = datetime.fromtimestamp(at + 1e-3, ZoneInfo(zone))  # a tick exactly at `at` counts as due
    return float(croniter(expression, start).get_prev(datetime).timestamp())


class Schedules:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        cron: str,
        workflow: str,
        definition: dict[str, Any],
        params: dict[str, Any],
        *,
        zone: str = "UTC",
        run_with: str = "code",
    ) -> ScheduleRecord:
        check_cron(cron, zone)
        now = time.time()
        values = {
            "cron": cron, "timezone": zone, "workflow": workflow, "definition": definition, "params": params,
            "run_with": run_with, "paused": False, "created": now, "next_fire_at": next_tick(cron, zone, now),
        }
        with write(self.engine) as connection:
            inserted = connection.execute(schedules.insert().values(**values))
            schedule_id = int(inserted.inserted_primary_key[0])  # type: ignore[index]
        return self.get(schedule_id)

    def get(self, schedule_id: int) -> ScheduleRecord:
        with self.engine.connect() as connection:
            row = connection.execute(select(schedules).where(schedules.c.id == schedule_id)).first()
        if row is None:
            raise CacheError(f"no schedule with id {schedule_id}")
        return _record(row)

    def list(self) -> list[ScheduleRecord]:
        with self.engine.connect() as connection:
            return [_record(row) for row in connection.execute(select(schedules).order_by(schedules.c.id))]

    def remove(self, schedule_id: int) -> None:
        self.get(schedule_id)
        with write(self.engine) as connection:
            connection.execute(delete(schedules).where(schedules.c.id == schedule_id))

    def pause(self, schedule_id: int, paused: bool = True) -> ScheduleRecord:
        schedule = self.get(schedule_id)
        values: dict[str, Any] = {"paused": paused}
        if not paused:  # ticks skipped while paused stay skipped
            values["next_fire_at"] = next_tick(schedule.cron, schedule.timezone, time.time())
        with write(self.engine) as connection:
            connection.execute(update(schedules).where(schedules.c.id == schedule_id).values(**values))
        return self.get(schedule_id)

    def due(self, now: float | None = None) -> list[ScheduleRecord]:
        moment = time.time() if now is None else now
        query = select(schedules).where(schedules.c.paused.is_(False), schedules.c.next_fire_at <= moment)
        with self.engine.connect() as connection:
            return [_record(row) for row in connection.execute(query.order_by(schedules.c.id))]

    def fire(self, schedule_id: int, run_id: str, now: float | None = None) -> RunRecord | None:
        """Queue the schedule's run for its latest due tick and move it to the next tick, in one transaction.

        None when it is not due (another worker fired it first, it was paused or removed): each tick
        gets one run, however many workers run the periodic task at once.
        """
        moment = time.time() if now is None else now
        with write(self.engine, "schedule", str(schedule_id)) as connection:
            row = connection.execute(select(schedules).where(schedules.c.id == schedule_id)).first()
            if row is None or row.paused or row.next_fire_at > moment:
                return None
            tick = max(_latest_tick(row.cron, row.timezone, moment), row.next_fire_at)
            exists = connection.execute(
                select(runs.c.id).where(runs.c.schedule_id == schedule_id, runs.c.scheduled_for == tick)
            ).first()
            if exists is None:
                connection.execute(runs.insert().values(
                    id=run_id, workflow=row.workflow, cache_key="", params=row.params,
                    params_digest=params_digest(row.params), definition=row.definition, run_with=row.run_with,
                    status="queued", blocks=[], outputs={}, artefacts={}, queued_at=moment, attempts=0,
                    schedule_id=schedule_id, scheduled_for=tick,
                ))
            connection.execute(
                update(schedules).where(schedules.c.id == schedule_id).values(
                    last_fired_at=tick, last_run_id=run_id if exists is None else exists.id,
                    next_fire_at=next_tick(row.cron, row.timezone, moment),
                )
            )
        if exists is not None:
            return None
        return Runs(self.engine).get(run_id)


def _record(row: Row[Any]) -> ScheduleRecord:
    data = dict(row._mapping)
    data["paused"] = bool(data["paused"])
    return ScheduleRecord(**data)
