"""A run's row in the store: written by the runner for in-process runs, final status mapped from the result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Page

from encore import Cache, run_workflow
from encore._history import final_status
from encore._result import BlockResult, RunResult
from examples.site.server import PASSWORD


def _result(status: str, message: str = "") -> RunResult:
    block = BlockResult(label="b", kind="task", mode="agent", ok=status != "failed", message=message)
    return RunResult(run_id="r", workflow="w", cache_key="k", run_with="code", status=status, seconds=1, blocks=[block])  # type: ignore[arg-type]


def test_final_status_from_the_result() -> None:
    assert final_status(_result("succeeded")) == "completed"
    assert final_status(_result("healed")) == "completed"
    assert final_status(_result("failed", "agent terminated: the shop is closed")) == "terminated"
    assert final_status(_result("failed", "the recorded task terminates: closed")) == "terminated"
    assert final_status(_result("failed", "diverged at s4")) == "failed"


WORKFLOW = {
    "id": "visit",
    "parameters": [{"name": "site"}, {"name": "token", "secret": True}],
    "blocks": [
        {"label": "open", "kind": "goto", "url": "{{ site }}/login"},
        {"label": "pause", "kind": "wait", "seconds": 0},
    ],
}


async def test_an_in_process_run_writes_its_row_without_secrets(serve, page: Page, tmp_path: Path) -> None:
    site = serve()
    result = await run_workflow(
        WORKFLOW, {"site": site.url, "token": PASSWORD}, page=page, cache=tmp_path / "c.sqlite",
        runs_dir=tmp_path / "runs", playwright_trace=False, run_id="visit-1",
    )
    record = Cache(tmp_path / "c.sqlite").store.runs.get("visit-1")
    assert result.status == "succeeded" and record.status == "completed" and not record.healed
    assert [(b["label"], b["mode"], b["ok"]) for b in record.blocks] == [("open", "live", True), ("pause", "live", True)]
    assert record.params == {"site": site.url} and record.attempts == 1
    assert record.finished_at is not None and record.started_at is not None and record.finished_at >= record.started_at
    assert Path(record.artefacts["report"]).exists() and Path(record.artefacts["result"]).exists()
    assert PASSWORD not in json.dumps(record.as_dict(definition=True))


async def test_a_run_past_its_deadline_is_timed_out(serve, page: Page, tmp_path: Path) -> None:
    site = serve()
    slow = {**WORKFLOW, "parameters": [{"name": "site"}],
            "blocks": [WORKFLOW["blocks"][0], {"label": "pause", "kind": "wait", "seconds": 30}]}
    with pytest.raises(TimeoutError):
        await run_workflow(slow, {"site": site.url}, page=page, cache=tmp_path / "c.sqlite", runs_dir=tmp_path / "runs",
                           playwright_trace=False, run_id="slow-1", deadline_s=1.0)
    record = Cache(tmp_path / "c.sqlite").store.runs.get("slow-1")
    assert record.status == "timed_out" and "deadline of 1s" in record.reason
