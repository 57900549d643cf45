"""The entry points: `run_task` and `run_workflow`, each block from cached code when it can, else the agent."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import secrets as _random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright

from agent import AgentConfig
from runtime import BrowserUnavailable, Options, browser_problem, launch_chromium

from ._cache import Cache, CacheError
from ._history import artefacts, final_status, row_fields
from ._params import Scalar, bind, cache_key, declare
from ._preflight import check_run
from ._result import RunResult
from ._run import Engine, Progress, Run, RunWith
from ._scratch import scratch_folder, temporary_directory_for_children
from ._scrub import scrub_zip
from ._store import StoreURL, default_store
from ._workflow import Workflow, load_workflow, parse_workflow

__all__ = ["DEFAULT_CACHE", "DEFAULT_RUNS", "new_run_id", "run_task", "run_workflow", "task_workflow"]

DEFAULT_CACHE = Path(".encore/cache.sqlite")
"""The embedded store when `ENCORE_STORE` names none (a SQLite file; `ENCORE_STORE=postgresql://…` shares one)."""
DEFAULT_RUNS = Path(".encore/runs")
"""Where each run's report, result and trace.zip go unless told otherwise."""


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + _random.token_hex(3)


async def run_task(
    goal: str,
    url: str,
    params: dict[str, Scalar] | None = None,
    *,
    secrets: dict[str, str] | None = None,
    output_schema: dict[str, Any] | None = None,
    task_id: str | None = None,
    cache_key: str = "",
    run_with: RunWith = "code",
    engine: Engine = "record",
    max_steps: int | None = None,
    **options: Any,
) -> RunResult:
    """One goal on one start page, cached as one block; returns the run result.

    `params` are plain values (typed into the page as parameters, so the cached script takes others),
    `secrets` are typed but never stored or shown, `output_schema` makes it an extraction whose data
    lands in `result.outputs["result"]`. The other options are `run_workflow`'s.
    """
    params, secrets = dict(params or {}), dict(secrets or {})
    workflow = task_workflow(
        goal, url, params, sorted(secrets), output_schema=output_schema, task_id=task_id, cache_key=cache_key,
        max_steps=max_steps,
    )
    return await run_workflow(workflow, {**params, **secrets}, run_with=run_with, engine=engine, **options)


def task_workflow(
    goal: str,
    url: str,
    params: dict[str, Scalar],
    secret_names: list[str],
    *,
    output_schema: dict[str, Any] | None = None,
    task_id: str | None = None,
    cache_key: str = "",
    max_steps: int | None = None,
) -> Workflow:
    """The one-block workflow a task runs as; its id depends on the goal and URL only, so it is cached across runs."""
    identity = hashlib.sha256(json.dumps([goal, url], ensure_ascii=False).encode()).hexdigest()[:12]
    block: dict[str, Any] = {"label": "task", "kind": "task", "goal": goal, "url": url, "max_steps": max_steps}
    if output_schema is not None:
        block = {**block, "kind": "extraction", "schema": output_schema, "output": "result"}
    return parse_workflow(
        {
            "id": task_id or f"task-{identity}",
            "title": goal[:200],
            "cache_key": cache_key,
            "parameters": [declare(name, value) for name, value in sorted(params.items())]
            + [{"name": name, "secret": True} for name in sorted(secret_names)],
            "blocks": [block],
        },
        "task",
    )


async def run_workflow(
    definition: Workflow | dict[str, Any] | str | Path,
    params: dict[str, Scalar] | None = None,
    *,
    run_with: RunWith = "code",
    engine: Engine = "record",
    cache: Cache | str | Path | None = None,
    runs_dir: str | Path = DEFAULT_RUNS,
    page: Page | None = None,
    config: AgentConfig | None = None,
    heal: bool = True,
    max_heal_streak: int = 3,
    playwright_trace: bool = True,
    headed: bool = False,
    options: Options | None = None,
    run_id: str | None = None,
    heal_wait_s: float = 600.0,
    deadline_s: float | None = None,
    progress: Progress | None = None,
    settle_timeout: float | None = None,
) -> RunResult:
    """Run a workflow; returns the run result (also written as result.json and report.html under runs_dir).

    run_with="code" replays each block's cached script when there is one (healing it when the page
    changed) and uses the agent where there is none; run_with="agent" always uses the agent;
    run_with="code_only" replays cached code and never calls a model (a divergence fails the block).
    A pinned version is never healed either. engine="record" caches what the agent did as code;
    engine="off" leaves the cache alone. `page` runs on your page instead of a fresh Chromium;
    `progress` hears one line per block and step. Problems found before the browser starts (a bad
    parameter, no cached version for code_only, no model endpoint when one is needed) raise.
    cache is a SQLite file, a postgresql:// URL or a Cache (default: ENCORE_STORE, else .encore/cache.sqlite).
    The run is recorded in the store's run history under `run_id` (a queued run's row is taken over);
    past `deadline_s` it stops as timed_out (TimeoutError). A slot's heal waits up to `heal_wait_s` for
    another run healing the same slot. settle_timeout (else the workflow's `settle_timeout`, else
    `options`') bounds how long a replay waits for a missing element while the page is still busy.
    """
    workflow = definition if isinstance(definition, Workflow) else (
        parse_workflow(definition) if isinstance(definition, dict) else load_workflow(definition)
    )
    values, secret_values = bind(workflow, dict(params or {}))
    key = cache_key(workflow, values)
    # A run refused before it starts leaves nothing behind: no cache file is created to be judged empty.
    existing = cache if isinstance(cache, Cache) else (Cache(cache) if _store_exists(cache) else None)
    check_run(workflow, existing, key, run_with, config)
    store = existing if existing is not None else Cache(cache)  # type: ignore[arg-type]
    if page is None:
        problem = browser_problem(headless=not headed)
        if problem:
            raise BrowserUnavailable(problem)
    run = Run(
        workflow=workflow,
        cache=store,
        run_id=run_id or new_run_id(),
        run_with=run_with,
        engine=engine,
        config=config,
        params=values,
        secrets=secret_values,
        heal=heal,
        max_heal_streak=max_heal_streak,
        replay_options=_with_settle(options or Options(), settle_timeout, workflow.settle_timeout),
        heal_wait_s=heal_wait_s,
        progress=progress,
    )
    run.cache_key = key
    run.run_dir = Path(runs_dir) / run.run_id
    history = store.store.runs
    if history.find(run.run_id) is None:
        history.create(
            run.run_id, workflow.id, values, status="running", run_with=run_with, cache_key=run.cache_key,
            definition=workflow.model_dump(mode="json", by_alias=True, exclude_none=True),
        )
    try:
        async with asyncio.timeout(deadline_s):
            result = await _run_blocks(run, workflow, page, headed, playwright_trace, Path(runs_dir))
    except TimeoutError:
        history.finish(run.run_id, "timed_out", reason=f"ran past its deadline of {deadline_s:g}s",
                       artefacts=artefacts(run.run_dir))
        raise
    except asyncio.CancelledError:
        history.finish(run.run_id, "canceled", reason="canceled while running", artefacts=artefacts(run.run_dir))
        raise
    except Exception as exc:
        reason = run.redactor(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
        history.finish(run.run_id, "failed", reason=reason, artefacts=artefacts(run.run_dir))
        raise
    try:
        history.finish(run.run_id, final_status(result), **row_fields(result, run.run_dir))
    except CacheError as exc:  # the run happened and its report is written: losing its row must not lose it
        result.warnings.append(run.redactor(f"the run history could not record this run: {exc}"))
    return result


async def _run_blocks(
    run: Run, workflow: Workflow, page: Page | None, headed: bool, playwright_trace: bool, runs_dir: Path
) -> RunResult:
    async with _page(page, headed, runs_dir / ".tmp", run.run_id) as live:
        run.page = live
        tracing = playwright_trace
        if tracing:
            try:
                # DOM snapshots are what make a divergence readable; request bodies and credentials are
                # dropped when the trace is written (see _scrub), and its chunks live in the run's scratch folder.
                await live.context.tracing.start(snapshots=True, screenshots=False, sources=False)
            except PlaywrightError:
                tracing = False  # the caller's context is already being traced
        try:
            await run.blocks(workflow.blocks, "", {})
        finally:
            if tracing:
                await _save_trace(run)
    return run.finish()


def _store_exists(location: str | Path | None) -> bool:
    """A PostgreSQL store is always there to ask; a SQLite one only once its file exists."""
    url = StoreURL(location if location is not None else default_store())
    return url.path is None or url.path.exists()


async def _save_trace(run: Run) -> None:
    trace_zip = run.run_dir / "trace.zip"
    try:
        run.run_dir.mkdir(parents=True, exist_ok=True)
        await run.page.context.tracing.stop(path=trace_zip)
        scrub_zip(trace_zip, run.redactor)
    except (PlaywrightError, OSError) as exc:  # a full disk must not cost the report
        trace_zip.unlink(missing_ok=True)
        run.warnings.append(run.redactor(f"the Playwright trace could not be saved: {exc}"))
        return
    run.trace_zip = str(trace_zip)
def _with_settle(options: Options, given: float | None, declared: float | None) -> Options:
    limit = given if given is not None else declared
    return options if limit is None else replace(options, settle_timeout=limit)


@asynccontextmanager
async def _page(page: Page | None, headed: bool, scratch_root: Path, run_id: str) -> AsyncIterator[Page]:
    """The caller's page, or a fresh browser whose temporary files live in the run's scratch folder."""
    if page is not None:
        yield page
        return
    with scratch_folder(scratch_root, run_id) as scratch:
        with temporary_directory_for_children(scratch):  # the Playwright driver reads it when it starts
            manager = async_playwright()
            playwright = await manager.__aenter__()
        try:
            # The browser itself keeps the usual TMPDIR (its sockets need a short path); the files that may hold
            # what was typed (profile, trace chunks, downloads) are made by the driver, in the scratch folder.
            browser = await launch_chromium(playwright, headless=not headed, env=dict(os.environ))
            try:
                context = await browser.new_context(accept_downloads=True)
                yield await context.new_page()
            finally:
                await browser.close()
        finally:
            await manager.__aexit__(None, None, None)
