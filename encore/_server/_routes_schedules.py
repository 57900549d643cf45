"""`/v1/schedules`: cron schedules of stored or inline workflows (create, list, read, edit, pause, delete)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from .._api_models import ScheduleCreate, ScheduleInfo, ScheduleUpdate
from .._store import CacheError, ScheduleRecord
from .._store._schedule_edits import edit_schedule
from .._workflow import parse_workflow
from ._problems import Problem, field_error
from ._state import ServerState, state_of
from ._submit import resolve_workflow, schedule_params
from ._views import schedule_info

__all__ = ["router"]

router = APIRouter(prefix="/v1/schedules", tags=["schedules"])


def _find(state: ServerState, schedule_id: int) -> ScheduleRecord:
    try:
        return state.store.schedules.get(schedule_id)
    except CacheError:
        raise Problem(404, f"no schedule with id {schedule_id}") from None


@router.post("", status_code=201, response_model=ScheduleInfo, summary="Add a schedule")
def create(body: ScheduleCreate, request: Request, response: Response) -> ScheduleInfo:
    """Runs fire on the cron's ticks in `timezone`; missed ticks after downtime fire once, for the latest.
    Secrets are never part of a schedule: its runs take them from the workers' environment or references."""
    state = state_of(request)
    workflow = resolve_workflow(state, body)
    values = schedule_params(workflow, body.params)
    definition = workflow.model_dump(mode="json", by_alias=True, exclude_none=True)
    try:
        schedule = state.store.schedules.add(body.cron, workflow.id, definition, values, zone=body.timezone,
                                             run_with=body.run_with)
    except ValueError as exc:
        raise field_error(("body", "timezone" if "time zone" in str(exc) else "cron"), str(exc)) from None
    response.headers["Location"] = f"/v1/schedules/{schedule.id}"
    return schedule_info(schedule)


@router.get("", response_model=list[ScheduleInfo], summary="List schedules")
def list_schedules(request: Request) -> list[ScheduleInfo]:
    return [schedule_info(s) for s in state_of(request).store.schedules.list()]


@router.get("/{schedule_id}", response_model=ScheduleInfo, summary="One schedule")
def get(schedule_id: int, request: Request) -> ScheduleInfo:
    return schedule_info(_find(state_of(request), schedule_id))


@router.patch("/{schedule_id}", response_model=ScheduleInfo, summary="Edit, pause or resume a schedule")
def update(schedule_id: int, body: ScheduleUpdate, request: Request) -> ScheduleInfo:
    state = state_of(request)
    schedule = _find(state, schedule_id)
    params = None
    if body.params is not None:
        params = schedule_params(parse_workflow(schedule.definition, f"schedule {schedule_id}"), body.params)
    try:
        edit_schedule(state.store.engine, schedule_id, cron=body.cron, zone=body.timezone, params=params,
                      run_with=body.run_with)
    except ValueError as exc:
        raise field_error(("body", "timezone" if "time zone" in str(exc) else "cron"), str(exc)) from None
    if body.paused is not None and body.paused != schedule.paused:
        state.store.schedules.pause(schedule_id, body.paused)
    return schedule_info(state.store.schedules.get(schedule_id))


@router.delete("/{schedule_id}", status_code=204, summary="Remove a schedule")
def remove(schedule_id: int, request: Request) -> Response:
    state = state_of(request)
    _find(state, schedule_id)
    state.store.schedules.remove(schedule_id)
    return Response(status_code=204)
