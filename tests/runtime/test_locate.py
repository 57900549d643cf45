"""What a divergence shows: the recorded fingerprint, and the visible element most like it, whatever its tag."""

from __future__ import annotations

import pytest
from playwright.async_api import Page
from pydantic import BaseModel

from runtime import DivergenceError, Options, Steps
from runtime._locate import near_miss
from runtime._score import score
from tracer import Fingerprint, page_script

RECORDED = Fingerprint(tag="a", role="link", name="Show details", text="Show details",
                       attributes={"href": "/ticket/12/details"}, ancestors=("main", "body"))


class _NoParams(BaseModel):
    pass


async def test_near_miss_is_visible_and_of_any_tag(page: Page) -> None:
    # The link is gone; a hidden copy of its text and an unrelated link remain, and a summary now does its job.
    await page.set_content(
        '<main><div hidden><a href="/ticket/12/details">Show details</a></div>'
        '<a href="/tickets/">All tickets</a>'
        "<details><summary>Show details</summary><p>Printer on fire</p></details></main>"
    )
    best = await near_miss(page, RECORDED)
    assert best is not None and best.tag == "summary"
    assert best.excerpt.startswith("<details>") and "Printer on fire" in best.excerpt


async def test_divergence_carries_the_recorded_fingerprint(page: Page) -> None:
    await page.set_content("<main><details><summary>Show details</summary><p>Printer on fire</p></details></main>")
    recorded = {"s1": {"intention": "Show the details", "fingerprint": RECORDED.model_dump(mode="json", exclude_none=True)}}
    steps = Steps(page, _NoParams(), recorded, start_url="http://127.0.0.1/", options=Options(locate_timeout=0.3, settle_timeout=0.3))
    with pytest.raises(DivergenceError) as raised:
        await steps.click("s1", [page.get_by_role("link", name="Show details", exact=True)])
    divergence = raised.value.divergence
    assert divergence.reason == "element_missing"
    assert divergence.fingerprint == {
        "tag": "a", "role": "link", "name": "Show details", "text": "Show details",
        "attributes": {"href": "/ticket/12/details"}, "ancestors": ["main", "body"],
    }
    assert divergence.dom_excerpt is not None and "<summary>Show details</summary>" in divergence.dom_excerpt
    assert '"fingerprint"' in raised.value.to_json()


async def test_the_near_miss_is_the_element_python_scores_best(page: Page) -> None:
    # The search runs in the page with verify.js's score (the twin of _score.score); it must pick what
    # Python's score would pick among the related visible elements, and skip the hidden copy.
    await page.set_content(
        '<main><nav><a href="/ticket/12/history">Show history</a><a href="/tickets/">All tickets</a></nav>'
        '<div hidden><a href="/ticket/12/details">Show details</a></div>'
        '<section><button type="button">Show</button><a href="/ticket/12/details/">Details</a></section></main>'
    )
    best = await near_miss(page, RECORDED)
    related = page.locator("a:visible, button:visible")
    lives = await related.evaluate_all(f"els => els.map({page_script('fingerprint')})")
    scored = [max(score(RECORDED, live), score(RECORDED.model_copy(update={"tag": live["tag"], "role": None}), live)) for live in lives]
    winner = lives[scored.index(max(scored))]
    assert best is not None and best.score == max(scored) and best.tag == winner["tag"]
    assert f'href="{winner["attributes"]["href"]}"' in best.excerpt
