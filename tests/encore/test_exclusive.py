"""One heal per slot: concurrent runs of a changed page heal it once; concurrent first runs record it once."""

from __future__ import annotations

import asyncio

from playwright.async_api import Browser

from agent import AgentConfig
from encore import Cache, run_task
from examples.model import ScriptedModel, find
from examples.site.server import PASSWORD
from runtime import Options

from ..agent.scripted import login_script
from ..runtime.helpers import EMAIL

GOAL = "Sign in to the shop"


async def _logins(browser: Browser, store: str, original, serving, config: AgentConfig, count: int, tmp_path):  # type: ignore[no-untyped-def]
    contexts = [await browser.new_context() for _ in range(count)]
    pages = [await context.new_page() for context in contexts]
    try:
        return await asyncio.gather(*(
            run_task(
                GOAL, original.url + "/login", {"email": EMAIL}, secrets={"password": PASSWORD}, task_id="login",
                page=page, config=config, cache=store, runs_dir=tmp_path / "runs",
                options=Options(base_url=serving.url), playwright_trace=False, heal_wait_s=60,
            )
            for page in pages
        ))
    finally:
        for context in contexts:
            await context.close()


async def test_concurrent_runs_on_a_changed_page_heal_it_once(
    serve, browser: Browser, model: ScriptedModel, config: AgentConfig, store_location: str, tmp_path
) -> None:
    original, changed = serve(), serve("redesigned_login")
    model.script(*login_script())
    (first,) = await _logins(browser, store_location, original, original, config, 1, tmp_path)
    assert first.block("task").new_version == 1
    # One answer for the element the page lost: a second heal would find the script empty and fail the test.
    model.script(lambda request: {"element": find(request, "Continue", "button"), "confidence": 0.9, "reason": "submit"})

    results = await _logins(browser, store_location, original, changed, config, 3, tmp_path)

    assert all(r.status in ("healed", "succeeded") for r in results), [r.block("task").message for r in results]
    assert sorted(r.block("task").new_version or 0 for r in results) == [0, 0, 2]
    assert sum(r.llm_calls for r in results) == 1 and len(model.requests) == 5
    assert all("used the repair" in r.block("task").message for r in results if r.block("task").new_version is None
               and r.block("task").mode == "healed_element")
    versions = Cache(store_location).versions("login")
    assert [(v.version, v.origin, v.parent) for v in versions] == [(1, "agent", None), (2, "healed_element", 1)]


async def test_concurrent_first_runs_record_once_and_the_others_replay(
    serve, browser: Browser, model: ScriptedModel, config: AgentConfig, store_location: str, tmp_path
) -> None:
    site = serve()
    model.script(*login_script())  # enough for one recording only

    results = await _logins(browser, store_location, site, site, config, 3, tmp_path)

    assert [r.status for r in results] == ["succeeded"] * 3, [r.block("task").message for r in results]
    assert sorted(r.block("task").mode for r in results) == ["agent", "code", "code"]
    assert len(model.requests) == 4
    assert [v.version for v in Cache(store_location).versions("login")] == [1]
    runs = Cache(store_location).store.runs.list(workflow="login")
    assert sorted(r.status for r in runs) == ["completed"] * 3
    assert all(PASSWORD not in repr(r) for r in runs)
