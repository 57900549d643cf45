"""Golden scripts against the example site: unchanged pages complete; changed pages fall back or diverge."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page

from runtime import DivergenceError

from .helpers import EMAIL, fallbacks, replay


async def test_login_completes_and_lands_on_the_dashboard(page: Page, serve, tmp_path: Path) -> None:
    site = serve()
    _, results = await replay("login", page, site, tmp_path)
    assert [r.step_id for r in results] == ["s1", "s2", "s3", "s4", "s5"]
    assert fallbacks(results) == {}
    assert page.url == site.url + "/dashboard"
    assert await page.locator("#signed-in-as").inner_text() == f"Signed in as {EMAIL}"


async def test_place_order_fills_every_kind_of_field(page: Page, serve, tmp_path: Path) -> None:
    site = serve()
    await replay("place_order", page, site, tmp_path, product='Mug "XL" \\ <b>bold</b>')
    (summary,) = site.orders.values()
    assert summary == (
        'Order 1004: Mug "XL" \\ <b>bold</b>, size l, gift wrap yes, express shipping, attachment note.txt, '
        'notes: Leave it at the "back" door \\ side\tthanks'
    )


async def test_order_history_extracts_typed_rows(page: Page, serve, tmp_path: Path) -> None:
    outputs, _ = await replay("order_history", page, serve(), tmp_path)
    rows = outputs["orders"]["rows"]
    assert rows[0] == {"id": 1001, "product": "Blue mug", "price": 12.5, "status": "Shipped"}
    assert rows[2] == {"id": 1003, "product": 'Teapot "Grand"', "price": 1049.99, "status": "Delivered"}
    assert outputs["orders"]["total"] == 1070.49


async def test_dashboard_tour_handles_iframe_hover_scroll_download(page: Page, serve, tmp_path: Path) -> None:
    _, results = await replay("dashboard_tour", page, serve(), tmp_path)
    assert [r.step_id for r in results][-1] == "d9"
    frame = page.frame_locator('iframe[title="Newsletter"]')
    assert await frame.locator("#nl-status").inner_text() == "Subscribed: nl@example.com"
    download = tmp_path / "artifacts" / "report.csv"
    assert download.read_text(encoding="utf-8").startswith("order,product,price")


# (case, mutation) -> ("ok", {step: fallback index}) or ("diverged", (step, reason))
MATRIX = {
    ("login", "renamed_ids"): ("ok", {}),
    # A relabelled field or button is another element until a heal says otherwise.
    ("login", "changed_labels"): ("diverged", ("s2", "fingerprint_mismatch")),
    # The header's "Sign in" button posts no form: only the recorded one verifies, found by the first candidate.
    ("login", "duplicated_button"): ("ok", {}),
    ("login", "removed_element"): ("diverged", ("s4", "element_missing")),
    ("login", "cloned_button"): ("diverged", ("s4", "ambiguous")),
    ("login", "decoy_link"): ("diverged", ("s4", "fingerprint_mismatch")),
    ("place_order", "renamed_ids"): ("ok", {}),
    ("place_order", "changed_labels"): ("diverged", ("o2", "fingerprint_mismatch")),
    ("place_order", "removed_element"): ("diverged", ("o4", "element_missing")),
    ("dashboard_tour", "renamed_ids"): ("ok", {}),
    ("dashboard_tour", "changed_labels"): ("diverged", ("d3", "fingerprint_mismatch")),
    # A second "Subscribe" in the same form verifies too: the first candidate finds both, the id decides.
    ("dashboard_tour", "duplicated_button"): ("ok", {"d3": 1}),
    ("dashboard_tour", "removed_element"): ("diverged", ("d3", "element_missing")),
}


@pytest.mark.parametrize(("case", "mutation"), sorted(MATRIX), ids=lambda v: v)
async def test_changed_markup_falls_back_or_diverges_never_wrong(
    page: Page, serve, tmp_path: Path, case: str, mutation: str
) -> None:
    expected_kind, expected = MATRIX[(case, mutation)]
    site = serve(mutation)
    if expected_kind == "ok":
        _, results = await replay(case, page, site, tmp_path)
        assert fallbacks(results) == expected
        # The job really got done on the right elements.
        if case == "login":
            assert page.url == site.url + "/dashboard"
        if case == "place_order":
            (summary,) = site.orders.values()
            assert "size l, gift wrap yes, express shipping, attachment note.txt" in summary
        return
    with pytest.raises(DivergenceError) as info:
        await replay(case, page, site, tmp_path)
    divergence = info.value.divergence
    assert (divergence.step_id, divergence.reason) == expected
    assert divergence.block and divergence.intention and divergence.url.startswith(site.url)
    assert divergence.candidates, "every candidate tried is reported"
    assert divergence.screenshot and Path(divergence.screenshot).is_file()
    if case == "login":
        assert page.url.endswith("/login"), "nothing was clicked after the divergence"
        assert site.orders == {}
