"""The entry points: `run_task` and `run_workflow`, each block from cached code when it can, else the agent."""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets as _random
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page, async_playwright

from agent import AgentConfig, redact
from runtime import Options, launch_chromium

from ._cache import Cache
from ._history import artefacts, final_status, row_fields
from ._params import Scalar, bind, cache_key, declare
from ._result import RunResult
from ._run import Engine, Run, RunWith
from ._scrub import scrub_zip
from ._workflow import Workflow, load_workflow, parse_workflow

__all__ = ["DEFAULT_CACHE", "DEFAULT_RUNS", "new_run_id", "run_task", "run_workflow", "task_workflow"]

DEFAULT_CACHE = Path(".encore/cache.sqlite")
"""The embedded store when `ENCORE_STORE` names none (a SQLite file; `ENCORE_STORE=postgresql://…` shares one)."""
DEFAULT_RUNS = Path(".encore/runs")


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
    """One goal on one start page, cached as one block. See `run_workflow` for the options."""
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
) -> RunResult:
    """Run a workflow; returns the run result (also written as result.json and report.html under runs_dir).

    run_with="code" replays each block's cached script when there is one (healing it when the page
    changed) and uses the agent where there is none; run_with="agent" always uses the agent.
    engine="record" caches what the agent did as code; engine="off" leaves the cache alone.
    cache is a SQLite file, a postgresql:// URL or a Cache (default: ENCORE_STORE, else .encore/cache.sqlite).
    The run is recorded in the store's run history under `run_id` (a queued run's row is taken over);
    past `deadline_s` it stops as timed_out (TimeoutError). A slot's heal waits up to `heal_wait_s` for
    another run healing the same slot.
    """
    workflow = definition if isinstance(definition, Workflow) else (
        parse_workflow(definition) if isinstance(definition, dict) else load_workflow(definition)
    )
    values, secret_values = bind(workflow, dict(params or {}))
    store = cache if isinstance(cache, Cache) else Cache(cache)
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
        replay_options=options or Options(),
        heal_wait_s=heal_wait_s,
    )
    run.cache_key = cache_key(workflow, values)
    run.run_dir = Path(runs_dir) / run.run_id
    history = store.store.runs
    if history.find(run.run_id) is None:
        history.create(
            run.run_id, workflow.id, values, status="running", run_with=run_with, cache_key=run.cache_key,
            definition=workflow.model_dump(mode="json", by_alias=True, exclude_none=True),
        )
    try:
        async with asyncio.timeout(deadline_s):
            result = await _run_blocks(run, workflow, page, headed, playwright_trace, secret_values)
    except TimeoutError:
        history.finish(run.run_id, "timed_out", reason=f"ran past its deadline of {deadline_s:g}s",
                       artefacts=artefacts(run.run_dir))
        raise
    except asyncio.CancelledError:
        history.finish(run.run_id, "canceled", reason="canceled while running", artefacts=artefacts(run.run_dir))
        raise
    except Exception as exc:
        reason = redact(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}",
                        secret_values)
        history.finish(run.run_id, "failed", reason=reason, artefacts=artefacts(run.run_dir))
        raise
    history.finish(run.run_id, final_status(result), **row_fields(result, run.run_dir))
    return result


async def _run_blocks(
    run: Run, workflow: Workflow, page: Page | None, headed: bool, playwright_trace: bool, secret_values: dict[str, str]
) -> RunResult:
    async with _page(page, headed) as live:
        run.page = live
        tracing = playwright_trace
        if tracing:
            try:
                await live.context.tracing.start(snapshots=True, screenshots=False, sources=False)
            except PlaywrightError:
                tracing = False  # the caller's context is already being traced
        try:
            await run.blocks(workflow.blocks, "", {})
        finally:
            if tracing:
                trace_zip = run.run_dir / "trace.zip"
                run.run_dir.mkdir(parents=True, exist_ok=True)
                await run.page.context.tracing.stop(path=trace_zip)
                scrub_zip(trace_zip, secret_values)
                run.trace_zip = str(trace_zip)
    return run.finish()


@asynccontextmanager
async def _page(page: Page | None, headed: bool) -> AsyncIterator[Page]:
    if page is not None:
        yield page
        return
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright, headless=not headed)
        try:
            context = await browser.new_context(accept_downloads=True)
            yield await context.new_page()
        finally:
            await browser.close()
