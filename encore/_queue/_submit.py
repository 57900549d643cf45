"""Submitting runs to the queue and canceling them: what `encore submit` and `encore runs cancel` do."""

from __future__ import annotations

from typing import Any

from .._cache import Cache
from .._params import Scalar, bind, cache_key
from .._preflight import check_run
from .._runner import new_run_id
from .._store import CacheError, RunRecord, Store
from .._workflow import Workflow, WorkflowError
from ._app import ensure_schema, make_app
from ._tasks import enqueue

__all__ = ["cancel", "definition_of", "plain_params", "refuse_unrunnable", "submit"]


def plain_params(workflow: Workflow, given: dict[str, Scalar]) -> dict[str, Scalar]:
    """The plain parameters, typed and complete; a secret given here is refused: it would enter the queue."""
    secret_names = {p.name for p in workflow.parameters if p.secret}
    offered = sorted(secret_names & set(given))
    if offered:
        raise WorkflowError(
            f"{workflow.id}: {', '.join(offered)} is secret and never queued; workers read it from "
            + ", ".join(f"ENCORE_PARAM_{name.upper()}" for name in offered)
        )
    values, _ = bind(workflow, {**given, **{name: "-" for name in secret_names}})
    return values


def refuse_unrunnable(store: Store, workflow: Workflow, values: dict[str, Scalar], run_with: str) -> None:
    """Raise `RunRefused` for a run no worker can do, before anything is queued: code_only (replay only, never
    the model) with nothing cached for these parameters, or with a block that asks the model, as `encore
    run` refuses it. The store is shared, so what is cached here is what every worker replays. Whether a
    run that needs the model has one is for each worker's own settings, so it is not judged here."""
    if run_with == "code_only":
        check_run(workflow, Cache(store), cache_key(workflow, values), run_with, None)


def definition_of(workflow: Workflow) -> dict[str, Any]:
    return workflow.model_dump(mode="json", by_alias=True, exclude_none=True)


async def submit(store: Store, workflow: Workflow, params: dict[str, Scalar], *, run_with: str = "code") -> RunRecord:
    """Write the run's row (queued), then queue its job; prints nothing, returns the row.

    `run_with` is the runner's (code, agent, code_only); the worker runs the row with it."""
    values = plain_params(workflow, params)
    refuse_unrunnable(store, workflow, values, run_with)
    app = make_app(store)
    ensure_schema(store)
    record = store.runs.create(new_run_id(), workflow.id, values, definition=definition_of(workflow), run_with=run_with)
    assert record is not None
    # A submitter that dies between the two writes leaves a queued row without a job: the workers'
    # periodic upkeep queues it (see _tasks.recover), so the run is not lost.
    async with app.open_async():
        await enqueue(app, store, record.id)
    return store.runs.get(record.id)


async def cancel(store: Store, run_id: str) -> RunRecord:
    """A queued run is canceled at once; a running one is aborted by its worker (its row says canceled)."""
    record = store.runs.get(run_id)
    if record.final:
        raise CacheError(f"run {run_id} is already {record.status}")
    if record.job_id is None and record.status == "running":
        raise CacheError(f"run {run_id} runs in-process (encore run), not on a worker: stop that process")
    record = store.runs.request_cancel(run_id)
    if record.job_id is not None and store.is_postgresql:
        app = make_app(store)
        async with app.open_async():
            aborted = await app.job_manager.cancel_job_by_id_async(record.job_id, abort=True)
            if not aborted and record.status == "running":
                raise CacheError(f"run {run_id}: its job {record.job_id} is no longer running")
    return store.runs.get(run_id)
