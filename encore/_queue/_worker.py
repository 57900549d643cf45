"""`encore worker`: one Chromium per process, several runs at once (one browser context each), on procrastinate."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

from playwright.async_api import async_playwright

from runtime import launch_chromium

from .._priority import new_sessions_lowered
from .._store import Store
from ._app import QUEUE_RUNS, QUEUE_UPKEEP, ensure_schema, make_app
from ._tasks import WorkerState

__all__ = ["serve"]


async def serve(
    store: Store,
    *,
    concurrency: int = 2,
    runs_dir: Path = Path(".encore/runs"),
    deadline_s: float | None = None,
    heal_wait_s: float = 600.0,
    stalled_after_s: float = 30.0,
    name: str | None = None,
    nice: int = 0,
) -> None:
    """Run queued runs until SIGINT/SIGTERM (procrastinate finishes the runs in progress, then stops)."""
    app = make_app(store)
    ensure_schema(store)
    worker_name = name or f"{socket.gethostname()}-{os.getpid()}"
    logging.getLogger("encore.worker").info("worker %s: %d browser contexts", worker_name, concurrency)
    async with async_playwright() as playwright:
        with new_sessions_lowered(nice):  # Chromium's own session: see encore._priority
            browser = await launch_chromium(playwright)
        state = WorkerState(
            store=store, browser=browser, runs_dir=runs_dir, name=worker_name, deadline_s=deadline_s,
            heal_wait_s=heal_wait_s, stalled_after_s=stalled_after_s,
        )
        try:
            async with app.open_async():
                await app.run_worker_async(
                    queues=[QUEUE_RUNS, QUEUE_UPKEEP],
                    name=worker_name,
                    concurrency=concurrency,
                    additional_context={"encore": state},
                    delete_jobs="successful",  # the run's row is its history; finished jobs need not stay
                    update_heartbeat_interval=max(1.0, stalled_after_s / 6),
                    stalled_worker_timeout=stalled_after_s,
                    abort_job_polling_interval=1.0,
                )
        finally:
            await browser.close()
