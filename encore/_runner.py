"""The entry points: `run_task` and `run_workflow`, each block from cached code when it can, else the agent."""

from __future__ import annotations

import hashlib
import json
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
from runtime import Options, launch_chromium

from ._cache import Cache
from ._params import Scalar, bind, cache_key, declare
from ._result import RunResult
from ._run import Engine, Run, RunWith
from ._scrub import scrub_zip
from ._workflow import Workflow, load_workflow, parse_workflow

__all__ = ["DEFAULT_CACHE", "DEFAULT_RUNS", "run_task", "run_workflow"]

DEFAULT_CACHE = Path(".encore/cache.sqlite")
DEFAULT_RUNS = Path(".encore/runs")


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
    identity = hashlib.sha256(json.dumps([goal, url], ensure_ascii=False).encode()).hexdigest()[:12]
    block: dict[str, Any] = {"label": "task", "kind": "task", "goal": goal, "url": url, "max_steps": max_steps}
    if output_schema is not None:
        block = {**block, "kind": "extraction", "schema": output_schema, "output": "result"}
    workflow = parse_workflow(
        {
            "id": task_id or f"task-{identity}",
            "title": goal[:200],
            "cache_key": cache_key,
            "parameters": [declare(name, value) for name, value in sorted(params.items())]
            + [{"name": name, "secret": True} for name in sorted(secrets)],
            "blocks": [block],
        },
        "task",
    )
    return await run_workflow(workflow, {**params, **secrets}, run_with=run_with, engine=engine, **options)


async def run_workflow(
    definition: Workflow | dict[str, Any] | str | Path,
    params: dict[str, Scalar] | None = None,
    *,
    run_with: RunWith = "code",
    engine: Engine = "record",
    cache: Cache | str | Path = DEFAULT_CACHE,
    runs_dir: str | Path = DEFAULT_RUNS,
    page: Page | None = None,
    config: AgentConfig | None = None,
    heal: bool = True,
    max_heal_streak: int = 3,
    playwright_trace: bool = True,
    headed: bool = False,
    options: Options | None = None,
    settle_timeout: float | None = None,
) -> RunResult:
    """Run a workflow; returns the run result (also written as result.json and report.html under runs_dir).

    run_with="code" replays each block's cached script when there is one (healing it when the page
    changed) and uses the agent where there is none; run_with="agent" always uses the agent.
    engine="record" caches what the agent did as code; engine="off" leaves the cache alone.
    settle_timeout (else the workflow's `settle_timeout`, else `options`') bounds how long a replay waits
    for a missing element while the page is still busy.
    """
    workflow = definition if isinstance(definition, Workflow) else (
        parse_workflow(definition) if isinstance(definition, dict) else load_workflow(definition)
    )
    values, secret_values = bind(workflow, dict(params or {}))
    store = cache if isinstance(cache, Cache) else Cache(cache)
    run = Run(
        workflow=workflow,
        cache=store,
        run_id=time.strftime("%Y%m%d-%H%M%S") + "-" + _random.token_hex(3),
        run_with=run_with,
        engine=engine,
        config=config,
        params=values,
        secrets=secret_values,
        heal=heal,
        max_heal_streak=max_heal_streak,
        replay_options=_with_settle(options or Options(), settle_timeout, workflow.settle_timeout),
    )
    run.cache_key = cache_key(workflow, values)
    run.run_dir = Path(runs_dir) / run.run_id
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


def _with_settle(options: Options, given: float | None, declared: float | None) -> Options:
    limit = given if given is not None else declared
    return options if limit is None else replace(options, settle_timeout=limit)


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
