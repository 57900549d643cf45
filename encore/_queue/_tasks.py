"""The queue's tasks: run one queued run; and, fired by procrastinate's periodic deferrer, fire due schedules
and give jobs of dead workers back to the queue.

A job carries only a run id: the workflow definition and plain parameters are in the run's row, and
secrets come from the worker's environment (or the workflow's secret references), never from the queue.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

import procrastinate
from playwright.async_api import Browser

from tracer import redact

from .._cache import Cache
from .._cancel import keep_canceling
from .._runner import new_run_id, run_workflow
from .._secrets import worker_secrets
from .._store import Store
from .._workflow import parse_workflow
from ._app import QUEUE_RUNS, QUEUE_UPKEEP

__all__ = ["WorkerState", "blueprint", "enqueue"]

log = logging.getLogger("encore.worker")
blueprint = procrastinate.Blueprint()


@dataclass
class WorkerState:
    """What every job of one worker process shares: the store, one Chromium, where reports go, limits."""

    store: Store
    browser: Browser
    runs_dir: Path
    name: str
    deadline_s: float | None = None
    heal_wait_s: float = 600.0
    stalled_after_s: float = 30.0


def _state(context: procrastinate.JobContext) -> WorkerState:
    return context.additional_context["encore"]


async def enqueue(app: procrastinate.App, store: Store, run_id: str) -> int:
    """Queue a run whose row exists; the job id goes into the row."""
    job_id = await app.configure_task(f"encore:{run.__name__}", queue=QUEUE_RUNS).defer_async(run_id=run_id)
    store.runs.set_job(run_id, job_id)
    return job_id


@blueprint.task(name="run", queue=QUEUE_RUNS, pass_context=True)
async def run(context: procrastinate.JobContext, run_id: str) -> None:
    """One run, in a fresh browser context of this worker's Chromium."""
    state = _state(context)
    record = state.store.runs.start(run_id, state.name)
    if record is None:
        return  # canceled while queued, or already final (a retried job whose run had finished)
    if record.cancel_requested:
        state.store.runs.finish(run_id, "canceled", reason="canceled before it started")
        return
    secrets: dict[str, str] = {}
    browser_context = None
    # procrastinate cancels an aborted job's task once; a cancel lost on Python 3.11 is sent again (encore._cancel).
    task = asyncio.current_task()
    assert task is not None
    insisting = asyncio.create_task(keep_canceling(task, context.should_abort), name=f"cancel {run_id} again")
    try:
        browser_context = await state.browser.new_context(accept_downloads=True)
        workflow = parse_workflow(record.definition, f"run {run_id}")
        secrets = worker_secrets(workflow)
        page = await browser_context.new_page()
        await run_workflow(
            workflow, {**record.params, **secrets}, run_id=run_id, cache=Cache(state.store),
            runs_dir=state.runs_dir, page=page, run_with=record.run_with,  # type: ignore[arg-type]
            deadline_s=state.deadline_s, heal_wait_s=state.heal_wait_s,
        )
    except TimeoutError:
        raise  # the runner wrote timed_out
    except asyncio.CancelledError:
        # Aborted (runs cancel, POST /v1/runs/{id}/cancel): the runner wrote canceled, unless the abort came
        # before it started (while the browser context opened): then the row would stay running forever.
        state.store.runs.finish(run_id, "canceled", reason="canceled while running")  # a no-op when final
        raise
    except Exception as exc:  # noqa: BLE001 - whatever stopped the run is its failure, written to its row
        reason = redact(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}", secrets)
        state.store.runs.finish(run_id, "failed", reason=reason)  # a no-op when the runner wrote it already
        log.warning("run %s failed: %s", run_id, reason)
    finally:
        insisting.cancel()
        if browser_context is not None:
            await browser_context.close()


@blueprint.periodic(cron="* * * * *", periodic_id="schedules")
@blueprint.task(name="fire_schedules", queue=QUEUE_UPKEEP, queueing_lock="encore-fire-schedules", pass_context=True)
async def fire_schedules(context: procrastinate.JobContext, timestamp: int) -> None:
    """Queue a run for each schedule that is due (one per tick, see encore._store._schedules for missed ticks)."""
    store = _state(context).store
    for schedule in store.schedules.due():
        record = store.schedules.fire(schedule.id, new_run_id())
        if record is not None:
            await enqueue(context.app, store, record.id)
            log.info("schedule %s fired run %s", schedule.id, record.id)


@blueprint.periodic(cron="* * * * * */5", periodic_id="recover")
@blueprint.task(name="recover", queue=QUEUE_UPKEEP, queueing_lock="encore-recover", pass_context=True)
async def recover(context: procrastinate.JobContext, timestamp: int) -> None:
    """Give the jobs of workers that stopped sending heartbeats back to the queue; queue runs that never got there."""
    state, app = _state(context), context.app
    for job in await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=state.stalled_after_s):
        await app.job_manager.retry_job(job)
        log.warning("job %s (%s) of a dead worker is queued again", job.id, job.task_kwargs)
    for record in state.store.runs.unqueued(older_than_s=60):
        await enqueue(app, state.store, record.id)
