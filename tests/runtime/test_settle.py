"""Waiting for slow pages: a slow element within the limit never diverges, a missing one still does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page
from pydantic import BaseModel

from codegen import compile_trace
from runtime import DivergenceError, Options, load_params, load_script
from runtime._recorded import Recorded
from runtime._redact import Redactor
from runtime._replay import Replay
from runtime._settle import SettleWait, activity
from tracer import Recorder, Trace, param

from ..apps.slow import Slow


async def _record(page: Page, url: str) -> Trace:
    rec = Recorder(page, trace_id="contact", params={"subject": "Hello"})
    await rec.goto(url, "Open the contact page")
    await rec.fill(page.get_by_label("Subject"), param("subject"), "Type the subject")
    await rec.click(page.get_by_role("button", name="Send"), "Send it")
    await rec.assert_text(page.get_by_role("status"), "Sent: Hello", "It was sent", exact=True)
    return rec.trace()


async def _replay(trace: Trace, browser: Browser, tmp_path: Path, **options: Any) -> list:
    script = tmp_path / "contact.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    module = load_script(script)
    results: list = []
    context = await browser.new_context()
    try:
        values = {"subject": "Bonjour"} if "subject" in module.Params.model_fields else {}
        await module.run(await context.new_page(), load_params(module, values), Options(on_step=results.append, **options))
    finally:
        await context.close()
    return results


def _without_learned_waits(trace: Trace) -> Trace:
    """The trace as an older recorder made it: no appearance times."""
    steps = []
    for step in trace.steps():
        target = getattr(step.action, "target", None)
        if target is not None:
            step = step.model_copy(update={"action": step.action.model_copy(update={"target": target.model_copy(update={"appear_ms": None})})})
        steps.append(step)
    return trace.model_copy(update={"blocks": (trace.blocks[0].model_copy(update={"steps": tuple(steps)}),)})


@pytest.fixture
def slow() -> Any:
    with Slow(fetch_delay=1.8, render_delay_ms=1600) as app:
        yield app


async def test_a_form_rendered_two_seconds_after_load_is_waited_for(slow: Slow, browser: Browser, page: Page, tmp_path: Path) -> None:
    trace = await _record(page, slow.url + "/timer/")
    fill = trace.steps()[1]
    assert fill.action.target.appear_ms is not None and fill.action.target.appear_ms >= 1200  # measured in the page
    results = await _replay(trace, browser, tmp_path)
    assert [r.step_id for r in results] == ["s1", "s2", "s3", "s4"]
    # Nothing moves on that page while the timer runs: without what the recording learned, and with
    # a short settle limit, the step gives up. The form now comes later than anything those limits allow,
    # even when a loaded machine makes the first step slow.
    slow.render_delay_ms = 5000
    with pytest.raises(DivergenceError) as raised:
        await _replay(_without_learned_waits(trace), browser, tmp_path, settle_timeout=1.0)
    assert raised.value.divergence.reason == "element_missing" and raised.value.divergence.step_id == "s2"


async def test_a_form_waiting_for_a_slow_request_is_waited_for(slow: Slow, browser: Browser, page: Page, tmp_path: Path) -> None:
    slow.fetch_delay = 0.0  # quick while recording
    trace = _without_learned_waits(await _record(page, slow.url + "/fetch/"))
    slow.fetch_delay = 1.8  # slow on replay: the request in flight keeps the step waiting
    results = await _replay(trace, browser, tmp_path)
    assert len(results) == 4


async def test_a_missing_element_on_a_quiet_page_still_diverges(slow: Slow, browser: Browser, page: Page, tmp_path: Path) -> None:
    rec = Recorder(page, trace_id="quiet")
    await rec.goto(slow.url + "/quiet/", "Open the page")
    await rec.click(page.get_by_role("button", name="Go"), "Go")
    slow.with_button = False
    with pytest.raises(DivergenceError) as raised:
        await _replay(rec.trace(), browser, tmp_path)
    divergence = raised.value.divergence
    assert divergence.reason == "element_missing" and divergence.step_id == "s2"
    assert divergence.fingerprint is not None and divergence.fingerprint["name"] == "Go"


async def test_the_verdict_reads_the_dom_in_the_same_round_as_the_probes(page: Page) -> None:
    activity(page)  # as a replay does from its start: requests are followed
    await page.set_content("<main><p>Nothing moves here</p></main>")
    settle = SettleWait(page, floor=0.2, limit=5.0)
    calls: list[str] = []
    read = settle._dom

    async def counted() -> Any:
        calls.append("dom")
        return await read()

    settle._dom = counted  # type: ignore[method-assign]
    await settle.observe(0.0)  # a round shortly before the floor starts watching the DOM
    await page.wait_for_timeout(400)  # the quiet window has to pass in real time: nothing else to wait on
    await settle.observe(0.25)  # the round at the floor reads the DOM alongside its probes...
    assert len(calls) == 2
    assert not await settle.keep_waiting(0.3)  # ...so a quiet page gets its verdict without another call
    assert len(calls) == 2
    # A DOM that keeps changing is busy; a reading is used by one verdict only, then read afresh.
    await page.evaluate("setInterval(() => { document.querySelector('p').textContent = String(Math.random()); }, 50)")
    await page.wait_for_timeout(100)
    assert await settle.keep_waiting(0.35)
    assert len(calls) == 3
    await settle.observe(0.4)
    assert await settle.keep_waiting(0.45) and len(calls) == 4
    assert not await settle.keep_waiting(5.0)  # the limit ends every wait


async def test_the_settle_wait_counts_from_the_start_of_the_step(page: Page) -> None:
    # The step's first attempt spent part of its locate budget: floor and limit shrink with it, so a
    # quiet page's verdict comes at the end of the budget and not a poll interval later.
    replay = Replay(page, _NoParams(), Options(locate_timeout=1.25, settle_timeout=10.0), "http://127.0.0.1/", Recorded({}), Redactor({}))
    settle = replay.settle_wait("s1", spent=0.2)
    assert settle is not None and (settle.floor, settle.limit) == pytest.approx((1.05, 9.8))
    whole = replay.settle_wait("s1")
    assert whole is not None and (whole.floor, whole.limit) == (1.25, 10.0)


class _NoParams(BaseModel):
    pass
