"""`encore.sync_api`: run_task on a page of Playwright's sync API, and from code where a loop already runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from agent import AgentConfig
from encore.sync_api import run_task, run_workflow
from examples.model import ScriptedModel
from examples.site.server import PASSWORD
from runtime import CHROMIUM_ARGS, system_chromium

from ..agent.scripted import login_script
from ..runtime.helpers import EMAIL
from ..threads import in_a_thread


def test_run_task_on_a_sync_page_records_then_replays(serve, model: ScriptedModel, config: AgentConfig,
                                                      tmp_path: Path) -> None:
    site = serve()
    model.script(*login_script())
    options = {"task_id": "login", "config": config, "cache": tmp_path / "c.sqlite", "runs_dir": tmp_path / "runs",
               "playwright_trace": False}

    def work() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=system_chromium(), args=CHROMIUM_ARGS)
            try:
                results = []
                for _ in range(2):
                    page = browser.new_context().new_page()
                    results.append(run_task("Sign in to the shop", site.url + "/login", {"email": EMAIL},
                                            secrets={"password": PASSWORD}, page=page, **options))
                    assert page.url.endswith("/dashboard")  # the caller's own page did the work
            finally:
                browser.close()
        first, second = results
        assert (first.status, first.block("task").mode) == ("succeeded", "agent")
        assert (second.status, second.block("task").mode, second.llm_calls) == ("succeeded", "code", 0)

    in_a_thread(work)


@pytest.mark.browser  # run_workflow starts a Chromium of its own
async def test_the_sync_functions_work_where_an_event_loop_already_runs(tmp_path: Path) -> None:
    # Inside this async test a loop is running: asyncio.run() would refuse; the sync API runs it aside.
    definition = {"id": "pause", "blocks": [{"label": "nap", "kind": "wait", "seconds": 0}]}
    result = run_workflow(definition, page=None, cache=tmp_path / "c.sqlite", runs_dir=tmp_path / "runs",
                          playwright_trace=False)
    assert result.status == "succeeded" and result.what_ran == "1 block live"
