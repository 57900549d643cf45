"""The element-level fallback: one model call, and only a verified element is returned."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from agent import AgentConfig, locate
from examples.model import ScriptedModel, find
from tracer import Fingerprint


async def _recorded(page: Page, selector: str) -> Fingerprint:
    from tracer import page_script

    return Fingerprint.model_validate(await page.locator(selector).evaluate(page_script("fingerprint")))


@pytest.mark.parametrize("mutation", ["renamed_ids", "changed_labels"])
async def test_finds_the_changed_button(serve, page: Page, model: ScriptedModel, config: AgentConfig, mutation: str) -> None:
    original, mutated = serve(), serve(mutation)
    await page.goto(original.url + "/login")
    fingerprint = await _recorded(page, "#login-button")
    await page.goto(mutated.url + "/login")
    name = "Log in" if mutation == "changed_labels" else "Sign in"
    model.script(lambda request: {"element": find(request, name, "button"), "confidence": 0.9, "reason": "same submit"})

    result = await locate(page, "Submit the login form", fingerprint, config=config)

    assert result.verified and result.element is not None
    assert await result.element.evaluate("e => e.type") == "submit"
    assert result.score is not None and result.score > 0.4
    sent = model.requests[0]["messages"][1]["content"]
    assert "Submit the login form" in sent and '"tag": "button"' in sent


async def test_a_pick_of_another_kind_is_rejected(serve, page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    site = serve()
    await page.goto(site.url + "/login")
    fingerprint = await _recorded(page, "#login-button")
    model.script(lambda request: {"element": find(request, "Back to the shop", "link"), "confidence": 0.95})
    result = await locate(page, "Submit the login form", fingerprint, config=config)
    assert not result.verified
    assert "<a> (link) where a <button> (button) was recorded" in result.reason


async def test_none_and_low_confidence_are_not_accepted(serve, page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    site = serve("removed_element")
    await page.goto(site.url + "/login")
    fingerprint = Fingerprint(tag="button", role="button", name="Sign in")
    model.script(
        lambda r: {"element": None, "confidence": 0.0, "reason": "no submit button"},
        lambda r: {"element": find(r, "Back to the shop", "link"), "confidence": 0.2},
    )
    gone = await locate(page, "Submit the login form", fingerprint, config=config)
    assert not gone.verified and gone.reason == "no submit button"
    unsure = await locate(page, "Submit the login form", fingerprint, config=config)
    assert not unsure.verified and "not confident" in unsure.reason


async def test_an_element_number_off_the_page_is_re_asked(serve, page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    site = serve()
    await page.goto(site.url + "/login")
    fingerprint = await _recorded(page, "#login-button")
    model.script(
        lambda r: {"element": 500, "confidence": 0.9},
        lambda r: {"element": find(r, "Sign in", "button"), "confidence": 0.9},
    )
    result = await locate(page, "Submit the login form", fingerprint, config=config)
    assert result.verified and len(model.requests) == 2
    assert "element [500] does not exist" in str(model.requests[1]["messages"])


async def test_a_link_that_became_a_summary_is_accepted(page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    await page.set_content('<main><p>Ticket 12</p><a href="/ticket/12/details" class="toggle">Show details</a></main>')
    fingerprint = await _recorded(page, "a")
    # The next release folds the details into the page: the link is now a disclosure widget.
    await page.set_content(
        '<main><p>Ticket 12</p><details><summary>Show details</summary><p>Printer on fire</p></details>'
        '<a href="/tickets/">All tickets</a></main>'
    )
    model.script(lambda request: {"element": find(request, "Show details"), "confidence": 0.9, "reason": "same toggle"})
    result = await locate(page, "Show the ticket's details", fingerprint, config=config)
    assert result.verified, result.reason
    assert await result.element.evaluate("e => e.tagName") == "SUMMARY"
    assert result.score is not None and result.score < 0.45  # the score alone would have refused it
