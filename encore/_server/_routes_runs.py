"""`/v1/runs`: start a run, read it (long-polling to its final status), list and filter, cancel, artefacts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from .._api_models import RunCreate, RunInfo, RunPage, RunStatus
from .._store import RunRecord
from ._artefacts import ARTEFACTS, artefact_response
from ._problems import Problem
from ._state import ServerState, state_of
from ._submit import create_run, prepare
from ._views import run_info

__all__ = ["MAX_WAIT_S", "find_run", "router"]

MAX_WAIT_S = 120.0
router = APIRouter(prefix="/v1/runs", tags=["runs"])


def find_run(state: ServerState, run_id: str) -> RunRecord:
    record = state.reads.find(run_id)
    if record is None:
        raise Problem(404, f"no run with id {run_id}")
    return record


@router.post("", status_code=201, response_model=RunInfo, summary="Start a run")
async def create(body: RunCreate, request: Request, response: Response) -> RunInfo:
    """A stored workflow, an inline definition or a task, with its plain parameters (stored with the run) and
    secrets (in memory only, in-process worker only). Answers 201 with the queued run."""
    state = state_of(request)
    prepared = await run_in_threadpool(prepare, state, body)
    record = await run_in_threadpool(create_run, state, prepared, body)
    try:
        await state.dispatcher.submit(record.id, prepared.secrets)
    finally:
        prepared.secrets.clear()
    response.headers["Location"] = f"/v1/runs/{record.id}"
    return run_info(record, await run_in_threadpool(state.deliveries.for_run, record.id))


@router.get("", response_model=RunPage, summary="List runs, newest first")
def list_runs(
    request: Request,
    status: Annotated[list[RunStatus] | None, Query(description="One or more statuses.")] = None,
    workflow: str | None = None,
    schedule_id: int | None = None,
    since: Annotated[datetime | None, Query(description="Queued at or after (ISO 8601).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> RunPage:
    state = state_of(request)
    records = state.reads.list(
        status=list(status) if status else None, workflow=workflow, schedule_id=schedule_id,
        since=since.timestamp() if since else None, limit=limit, offset=offset,
    )
    return RunPage(runs=[run_info(r) for r in records], next_offset=offset + limit if len(records) == limit else None)


@router.get("/{run_id}", response_model=RunInfo, summary="Read a run; `wait` long-polls for its final status")
async def get(
    run_id: str, request: Request,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT_S, description="Seconds to wait for a final status.")] = 0.0,
) -> Response:
    state = state_of(request)
    found = await state.run_with_deliveries(run_id)  # the hot path of polling clients
    if found is None:
        raise Problem(404, f"no run with id {run_id}")
    record, deliveries = found
    if wait > 0 and not record.final:
        record = await state.waiter.wait(run_id, wait)
        deliveries = await state.deliveries_of(run_id)
    # Serialized here: FastAPI would validate the returned model once more before serializing it.
    return Response(run_info(record, deliveries).model_dump_json(), media_type="application/json")


@router.post("/{run_id}/cancel", status_code=202, response_model=RunInfo, summary="Cancel a queued or running run",
             responses={409: {"description": "The run is already final, or runs in another process"}})
async def cancel(run_id: str, request: Request) -> RunInfo:
    """A queued run is canceled at once; a running one is stopped by its worker (poll it, or `wait`, for the
    final `canceled`). 409 when it is already final."""
    state = state_of(request)
    record = await run_in_threadpool(find_run, state, run_id)
    if record.final:
        raise Problem(409, f"run {run_id} is already {record.status}")
    record = await state.dispatcher.cancel(record)
    if record.final:
        state.run_changed(run_id)
    return run_info(record, await run_in_threadpool(state.deliveries.for_run, run_id))


def _artefact(kind: str):  # type: ignore[no-untyped-def]
    def serve(run_id: str, request: Request) -> Response:
        state = state_of(request)
        return artefact_response(state, find_run(state, run_id), kind)

    serve.__name__ = f"artefact_{kind.replace('.', '_')}"
    return serve


for _kind in ARTEFACTS:
    router.add_api_route(
        f"/{{run_id}}/{_kind}", _artefact(_kind), methods=["GET"], response_class=FileResponse,
        summary=f"The run's {_kind}", responses={200: {"content": {ARTEFACTS[_kind][1].split(';')[0]: {}}}},
    )
