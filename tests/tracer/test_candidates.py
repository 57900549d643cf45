"""Candidates for one element: exact names, and scoped ones inside the repeated container that holds it."""

from __future__ import annotations

from playwright.async_api import Page
from pydantic import BaseModel

from runtime import Options, Steps
from runtime._locators import locators_for
from tracer import Recorder

CARDS = """<div id="issues">{}</div><script>
  window.closedIssues = [];
  document.querySelectorAll('.close-issue').forEach((b) => b.addEventListener('click', () => window.closedIssues.push(b.dataset.id)));
</script>"""
CARD = ('<div class="card issue"><h3><a href="/issues/{id}">{title}</a></h3><p>Opened by ada</p>'
        '<button type="button" class="close-issue" data-id="{id}">Close</button></div>')
ISSUES = [("41", "Printer jams"), ("42", "Scanner offline"), ("43", "Toner low")]


def _cards(issues: list[tuple[str, str]]) -> str:
    return CARDS.format("".join(CARD.format(id=i, title=t) for i, t in issues))


class NoParams(BaseModel):
    pass


async def test_a_card_button_is_scoped_to_its_card_and_replays_after_a_resort(page: Page) -> None:
    await page.set_content(_cards(ISSUES))
    rec = Recorder(page, trace_id="close-issue")
    card = page.locator(".card").filter(has_text="Scanner offline")
    await rec.click(card.get_by_role("button", name="Close"), "Close the scanner issue")
    target = rec.trace().steps()[0].action.target
    first = target.candidates[0]
    assert first.scope is not None and (first.scope.strategy, first.scope.value) == ("css", ".card.issue")
    assert first.scope.has_text == "Scanner offline" and (first.name, first.exact) == ("Close", True)
    assert target.fingerprint.context.text == "Scanner offline"

    await page.set_content(_cards([ISSUES[2], ISSUES[0], ("44", "Scanner offline again"), ISSUES[1]]))
    recorded = {"s1": {"intention": "Close", "fingerprint": target.fingerprint.model_dump(mode="json", exclude_defaults=True)}}
    steps = Steps(page, NoParams(), recorded, start_url=page.url, options=Options())

    async def body(s: Steps, p: Page, params: BaseModel) -> None:
        await s.click("s1", locators_for(page, target))

    await steps.block("Close", body)
    assert await page.evaluate("window.closedIssues") == ["42"]


async def test_names_are_exact(page: Page) -> None:
    await page.set_content('<button>Subscribe</button><label>E-mail <input name="email"></label>')
    rec = Recorder(page, trace_id="exact")
    await rec.click(page.get_by_role("button", name="Subscribe"), "Subscribe")
    await rec.fill(page.get_by_label("E-mail"), "a@b.c", "Type the address")
    for step in rec.trace().steps():
        named = [c for c in step.action.target.candidates if c.strategy in ("role", "label", "text") and (c.name or c.strategy != "role")]
        assert named and all(c.exact for c in named), named
