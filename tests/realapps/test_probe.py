"""The real-application harness's verdict on a check: "another element" only when the candidate found a
different element that is in the page, never because the page swapped the flow's element in place while
the two were compared (Wagtail's search listing does; a CI run reported that as a wrong element)."""

from __future__ import annotations

from playwright.async_api import Page

from bench.realapps._flow import FlowStep
from bench.realapps._probe import Probe

# The listing re-renders itself every 10 ms, as a list that swaps its rows in place does while results come in.
_SWAPPING = """
<table class="listing"><tbody><tr><td>https://example.org/opening-times</td></tr></tbody></table>
<table class="other"><tbody><tr><td>https://example.org/opening-times</td></tr></tbody></table>
<script>
  const table = document.querySelector("table.listing");
  const swap = () => { table.replaceChildren(table.tBodies[0].cloneNode(true)); setTimeout(swap, 10); };
  swap();
</script>
"""


def _probe() -> Probe:
    step = FlowStep("assert_text", "The listing shows the new redirect", lambda p, _: p.locator("table.listing tbody"))
    return Probe({"s16": step}, base_url="http://127.0.0.1:9", recorded={}, params={}, secrets={})


async def test_a_listing_swapped_in_place_is_never_reported_as_another_element(page: Page) -> None:
    await page.set_content(_SWAPPING)
    probe = _probe()
    verdicts = {await probe.after_check(page, "s16", [page.locator(".listing tbody")], 0) for _ in range(40)}
    assert False not in verdicts and True in verdicts


async def test_a_candidate_on_another_live_element_is_reported(page: Page) -> None:
    await page.set_content(_SWAPPING.split("<script>")[0])
    assert await _probe().after_check(page, "s16", [page.locator(".listing tbody")], 0) is True
    assert await _probe().after_check(page, "s16", [page.locator("table.other tbody")], 0) is False
