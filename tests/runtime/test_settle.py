"""Waiting for slow pages: a slow element within the limit never diverges, a missing one still does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from codegen import compile_trace
from runtime import DivergenceError, Options, load_params, load_script
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
    # no settle wait at all, the step gives up at the locate timeout.
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
