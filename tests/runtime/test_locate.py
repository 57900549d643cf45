"""What a divergence shows: the recorded fingerprint, and the visible element most like it, whatever its tag."""

from __future__ import annotations

import pytest
from playwright.async_api import Page
from pydantic import BaseModel

from runtime import DivergenceError, Options, Steps
from runtime._locate import near_miss
from tracer import Fingerprint

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
    assert best is not None and await best.evaluate("e => e.tagName") == "SUMMARY"


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
