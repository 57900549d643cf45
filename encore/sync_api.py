"""`run_task` and `run_workflow` for synchronous code: `from encore.sync_api import run_task, run_workflow`.

The same arguments and results as `encore.run_task` / `encore.run_workflow`, without `await`. Pass a
`playwright.sync_api` page as `page=` to run on it (the run uses Playwright's own event loop);
without one, a Chromium of its own is started, as the async functions do.

    from encore.sync_api import run_task

    result = run_task("Sign in", "http://127.0.0.1:8765/login", {"email": "ada@example.com"},
                      secrets={"password": password})
    print(result.status, result.what_ran, result.llm_calls)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer._sync import async_twin, run_detached, run_on

from ._params import Scalar
from ._result import RunResult
from ._runner import run_task as _run_task
from ._runner import run_workflow as _run_workflow
from ._workflow import Workflow

__all__ = ["run_task", "run_workflow"]


def run_task(goal: str, url: str, params: dict[str, Scalar] | None = None, **options: Any) -> RunResult:
    """One goal on one start page, cached as one block (see `encore.run_task`)."""
    page = options.pop("page", None)
    if page is None:
        return run_detached(_run_task(goal, url, params, **options))
    return run_on(page, _run_task(goal, url, params, page=async_twin(page), **options))


def run_workflow(
    definition: Workflow | dict[str, Any] | str | Path, params: dict[str, Scalar] | None = None, **options: Any
) -> RunResult:
    """Run a workflow (see `encore.run_workflow`)."""
    page = options.pop("page", None)
    if page is None:
        return run_detached(_run_workflow(definition, params, **options))
    return run_on(page, _run_workflow(definition, params, page=async_twin(page), **options))
