"""The verifying selector engine: registered lazily from any page, and the action lands on the verified element."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, async_playwright
from pydantic import BaseModel

from runtime import DivergenceError, Options, Steps, launch_chromium
from runtime import _steps as steps_module
from runtime._engine import engine_ready
from runtime._locators import locators_for
from tracer import Candidate, record_target

# A button that becomes "Delete account" when the pointer reaches it, and counts what was clicked.
RELABELLING = """
<button id="save" onclick="window.done.push(this.textContent)">Save profile</button>
<script>
  window.done = [];
  document.getElementById('save').addEventListener('pointerover', (e) => { e.target.textContent = 'Delete account'; }, {once: true});
</script>
"""
PLAIN = '<button id="save" onclick="window.done = (window.done || []).concat(this.textContent)">Save profile</button>'


class NoParams(BaseModel):
    pass


async def _steps(page: Page, first: Candidate | None = None) -> tuple[Steps, list]:
    """Steps for one recorded click on the "Save profile" button; `first` replaces its first candidate."""
    _, target = await record_target(page, page.get_by_role("button", name="Save profile"))
    if first is not None:
        target = target.model_copy(update={"candidates": (first, *target.candidates[1:])})
    fingerprint = target.fingerprint.model_dump(mode="json", exclude_defaults=True)
    recorded = {"s1": {"intention": "Save", "fingerprint": fingerprint}}
    options = Options(postcondition_timeout=1, action_timeout=2)
    return Steps(page, NoParams(), recorded, start_url=page.url, options=options), locators_for(page, target)


async def _click(page: Page, first: Candidate | None = None) -> None:
    steps, candidates = await _steps(page, first)

    async def body(s: Steps, p: Page, params: BaseModel) -> None:
        await s.click("s1", candidates)

    await steps.block("Save", body)


async def test_registered_lazily_per_playwright_for_contexts_old_and_new() -> None:
    async with async_playwright() as playwright:  # a fresh instance: nothing registered yet
        browser = await launch_chromium(playwright)
        early = await (await browser.new_context()).new_page()  # exists before the engine does
        await early.set_content(PLAIN)
        await _click(early)
        assert await early.evaluate("window.done") == ["Save profile"]
        late = await (await browser.new_context()).new_page()
        await late.set_content(PLAIN)
        assert await engine_ready(late)
        await _click(late)
        assert await late.evaluate("window.done") == ["Save profile"]
        await browser.close()


@pytest.mark.parametrize("first", [None, Candidate(strategy="css", value="#gone")], ids=["in-resolution", "probed"])
async def test_a_relabel_between_check_and_action_is_blocked_and_diverges(page: Page, first: Candidate | None) -> None:
    await page.mouse.move(600, 400)  # the pointer reaches the button only with the click
    await page.set_content(RELABELLING)
    with pytest.raises(DivergenceError) as info:
        await _click(page, first)
    assert info.value.divergence.reason == "fingerprint_mismatch", info.value.to_json()
    assert "blocked" in info.value.divergence.message
    assert await page.evaluate("window.done") == [], "the relabelled button was never clicked"


async def test_without_the_engine_the_verified_element_is_acted_on_through_its_handle(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unavailable(page: Page) -> bool:
        return False

    monkeypatch.setattr(steps_module, "engine_ready", unavailable)
    await page.set_content(PLAIN)
    await _click(page)
    assert await page.evaluate("window.done") == ["Save profile"]
    await page.mouse.move(600, 400)  # away from where the next page's button appears
    await page.set_content(RELABELLING)
    with pytest.raises(DivergenceError) as info:
        await _click(page)
    assert info.value.divergence.reason == "fingerprint_mismatch"
    assert await page.evaluate("window.done") == []


async def test_an_element_that_changes_after_the_probe_is_not_acted_on(page: Page) -> None:
    # The first candidate misses, so the probes find the button; the page then renames it before the
    # action resolves it again.
    await page.set_content(PLAIN)
    steps, candidates = await _steps(page, Candidate(strategy="css", value="#gone"))
    original = steps_module.Steps._locate

    async def probe_then_relabel(self: Steps, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        found = await original(self, *args, **kwargs)
        await page.evaluate("document.getElementById('save').textContent = 'Delete account'")
        return found

    steps_module.Steps._locate = probe_then_relabel  # type: ignore[method-assign]
    try:
        with pytest.raises(DivergenceError) as info:
            await steps.click("s1", candidates)
    finally:
        steps_module.Steps._locate = original  # type: ignore[method-assign]
    assert info.value.divergence.reason == "fingerprint_mismatch"
    assert "between its check and the action" in info.value.divergence.message
    assert await page.evaluate("window.done || []") == []


async def test_a_field_relabelled_as_it_takes_focus_is_not_typed_into(page: Page) -> None:
    await page.set_content(
        '<label for="amount">Amount</label><input id="amount">'
        "<script>document.getElementById('amount').addEventListener('focus', () => {"
        " document.querySelector('label').textContent = 'Amount to send abroad'; }, {once: true});</script>"
    )
    _, target = await record_target(page, page.get_by_label("Amount"))
    recorded = {"s1": {"intention": "Type the amount", "fingerprint": target.fingerprint.model_dump(mode="json", exclude_defaults=True)}}
    steps = Steps(page, NoParams(), recorded, start_url=page.url, options=Options(action_timeout=2))

    async def body(s: Steps, p: Page, params: BaseModel) -> None:
        await s.fill("s1", locators_for(page, target), "100")

    with pytest.raises(DivergenceError) as info:
        await steps.block("Pay", body)
    assert info.value.divergence.reason == "fingerprint_mismatch", info.value.to_json()
    assert await page.input_value("#amount") == ""
