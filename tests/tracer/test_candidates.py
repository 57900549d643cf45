"""Candidates for one element: exact names, scoped ones inside a repeated container, and those a careful
person would write (semantic classes, stable attributes, nothing that adds nothing)."""

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


async def _candidates(page: Page, selector: str) -> list[tuple[str, str]]:
    rec = Recorder(page, trace_id="c")
    await rec.hover(page.locator(selector), "Point at it")
    target = rec.trace().steps()[0].action.target
    return [(c.strategy, c.name or c.value) for c in target.candidates]


async def test_semantic_classes_are_kept_and_generated_ones_are_not(page: Page) -> None:
    await page.set_content(
        '<div class="css-1x2y3z sc-bdVaJa jsx-123 mt-2 flex messagelist">'
        '<p class="_abc12 kJhbeI Button_primary__3xk9a active ok-message">Saved.</p>'
        '<p class="css-9z8y7x">Saved twice.</p></div>'
    )
    found = await _candidates(page, "text=Saved.")
    css = [value for strategy, value in found if strategy == "css"]
    assert "p.ok-message" in css
    for generated in ("css-", "sc-", "jsx-", "_abc12", "kJhbeI", "__3xk9a", "mt-2", "flex", "active"):
        assert not any(generated in value for value in css), (generated, css)


async def test_a_message_without_its_own_class_is_found_through_its_container(page: Page) -> None:
    await page.set_content(
        '<div class="messages"><p>The ticket “Printer on fire” was added successfully.</p></div><p>Other</p>'
    )
    assert ("css", ".messages p") in await _candidates(page, ".messages p")


async def test_classes_never_stand_for_one_item_of_a_list(page: Page) -> None:
    # With one item in the list, `.todo-list a` or `a.title` would be unique now and any item later.
    await page.set_content(
        '<ul class="todo-list"><li class="todo"><a class="title" href="#/items/1">Buy milk</a></li></ul>'
        '<ul class="messagelist"><li class="success">Saved.</li></ul>'
    )
    link = [value for strategy, value in await _candidates(page, ".todo-list a") if strategy == "css"]
    assert not any("todo" in value or "title" in value for value in link), link
    message = [value for strategy, value in await _candidates(page, ".messagelist li") if strategy == "css"]
    assert "li.success" in message and ".messagelist li" not in message
    # A list inside a layout table's cell is a list, not part of an item.
    await page.set_content('<table><tr><td><table class="list"><tr><td>issue1</td></tr></table></td></tr></table>')
    assert ("css", "table.list") in await _candidates(page, "table.list")


async def test_nothing_that_adds_nothing(page: Page) -> None:
    await page.set_content(
        '<main><form id="signup"><label>Name <input id="name" name="name"></label>'
        '<label>Plan <select id="plan"><option>Free</option></select></label>'
        '<button type="submit">Sign up</button></form></main>'
    )
    name = await _candidates(page, "#name")
    assert name == [("role", "Name"), ("label", "Name"), ("css", "#name"), ("css", 'input[name="name"]')]
    button = await _candidates(page, "button")
    assert all(s != "xpath" for s, _ in button), "an XPath beside a CSS path adds nothing"
    assert ("role", "button") not in button, "a role without a name adds nothing beside the name"
    assert not any(":nth-of-type" in v or v.startswith("body >") for s, v in button if s == "css")


async def test_semantic_words_that_look_like_utility_prefixes_stay(page: Page) -> None:
    await page.set_content(
        '<table class="list order-summary"><tr><td>Issue</td></tr></table><table class="flex text-sm mt-4"><tr><td>x</td></tr></table>'
    )
    css = [value for strategy, value in await _candidates(page, "table.list") if strategy == "css"]
    assert "table.list" in css or "table.order-summary" in css
    other = [value for strategy, value in await _candidates(page, "table.flex") if strategy == "css"]
    assert not any(c in value for value in other for c in ("flex", "text-sm", "mt-4"))
