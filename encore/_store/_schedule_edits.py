"""Editing a schedule in place (cron, time zone, parameters, run_with): the next tick is computed anew."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, update

from ._engine import write
from ._schedules import ScheduleRecord, Schedules, check_cron, next_tick
from ._schema import schedules

__all__ = ["edit_schedule"]


def edit_schedule(
    engine: Engine,
    schedule_id: int,
    *,
    cron: str | None = None,
    zone: str | None = None,
    params: dict[str, Any] | None = None,
    run_with: str | None = None,
) -> ScheduleRecord:
    repository = Schedules(engine)
    current = repository.get(schedule_id)
    new_cron, new_zone = cron or current.cron, zone or current.timezone
    check_cron(new_cron, new_zone)
    values: dict[str, Any] = {"cron": new_cron, "timezone": new_zone}
    if (new_cron, new_zone) != (current.cron, current.timezone):
        values["next_fire_at"] = next_tick(new_cron, new_zone, time.time())
    if params is not None:
        values["params"] = params
    if run_with is not None:
        values["run_with"] = run_with
    with write(engine, "schedule", str(schedule_id)) as connection:
        connection.execute(update(schedules).where(schedules.c.id == schedule_id).values(**values))
    return repository.get(schedule_id)
