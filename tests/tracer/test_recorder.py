"""Record flows through the Recorder, compile them, replay them on the shop as it is and as it drifts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from codegen import compile_trace
from examples.flows import EMAIL, EXPECTED_ORDER, record_login_and_order
from examples.site.mutations import MUTATIONS
from examples.site.server import PASSWORD, ExampleSite
from runtime import DivergenceError, Options, load_params, load_script
from tracer import Recorder, RecorderError, Trace, secret, url_pattern


async def _record_login_and_order(page: Page, site: ExampleSite, tmp_path: Path) -> Trace:
    return await record_login_and_order(page, site.url, tmp_path)


async def _replay(trace: Trace, page: Page, site: ExampleSite, tmp_path: Path) -> list:
    script = tmp_path / "recorded.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    module = load_script(script)
    params = load_params(module, {"email": EMAIL, "password": PASSWORD, "attachment": str(tmp_path / "note.txt")})
    results: list = []
    await module.run(page, params, Options(base_url=site.url, on_step=results.append))
    return results


@pytest.fixture
async def recorded(browser: Browser, serve, tmp_path_factory) -> Trace:
    context = await browser.new_context()
    try:
        return await _record_login_and_order(await context.new_page(), serve(), tmp_path_factory.mktemp("rec"))
    finally:
        await context.close()


async def test_recorded_trace_keeps_references_not_secrets(recorded: Trace, tmp_path: Path) -> None:
    text = recorded.model_dump_json()
    assert PASSWORD not in text
    assert {p.name: p.secret for p in recorded.parameters} == {"attachment": False, "email": False, "password": True}
    fill = recorded.blocks[0].steps[2]
    assert fill.action.kind == "fill" and fill.action.value.kind == "secret"
    sign_in = recorded.blocks[0].steps[3]
    assert [p.kind for p in sign_in.postconditions] == ["url", "request"]
    assert (sign_in.postconditions[1].method, sign_in.postconditions[1].navigates) == ("POST", True)


async def test_candidates_are_unique_ranked_and_lean(recorded: Trace) -> None:
    email = recorded.blocks[0].steps[1].action.target
    assert [(c.strategy, c.value) for c in email.candidates] == [
        ("role", "textbox"), ("label", "E-mail"), ("css", "#email"), ("css", 'input[name="email"]'),
    ]
    assert email.fingerprint is not None and email.fingerprint.attributes["id"] == "email"
    # Nothing stable singles out the radio button but its name: one positional path backs it up, no XPath twin.
    express = recorded.blocks[1].steps[4].action.target
    assert [c.strategy for c in express.candidates] == ["role", "label", "css"]
    assert ":nth-of-type" in express.candidates[-1].value


async def test_recorded_flow_replays(recorded: Trace, page: Page, serve, tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("fragile", encoding="utf-8")
    site = serve()
    results = await _replay(recorded, page, site, tmp_path)
    assert not [r for r in results if r.used_fallback]
    (summary,) = site.orders.values()
    assert "Blue mug, size l, gift wrap yes, express shipping, attachment note.txt, notes: Ring twice" in summary


# What each mutation is expected to do to the recorded flow; "completed" is verified on the server.
EXPECTED = {
    "renamed_ids": "completed",
    "changed_classes": "completed",
    "changed_labels": "fingerprint_mismatch",  # "E-mail" became "Email address": a heal decides
    "moved_element": "completed",
    "option_order": "completed",
    "custom_widget": "completed",
    "duplicated_button": "completed",
    "removed_element": "element_missing",
    "cloned_button": "completed",  # the clone (same id, same words) posts no form: only the original verifies
    "decoy_link": "fingerprint_mismatch",
    "redesigned_login": "fingerprint_mismatch",  # two buttons now, neither named like the recorded one
    "terms_interstitial": "unexpected_url",
}


async def test_mutation_suite_never_completes_on_a_wrong_element(
    recorded: Trace, browser: Browser, serve, tmp_path: Path
) -> None:
    assert set(EXPECTED) == set(MUTATIONS)
    (tmp_path / "note.txt").write_text("fragile", encoding="utf-8")
    outcomes: dict[str, str] = {}
    fallback_steps: dict[str, list[str]] = {}
    for mutation in sorted(MUTATIONS):
        site = serve(mutation)
        context = await browser.new_context()
        page = await context.new_page()
        try:
            results = await _replay(recorded, page, site, tmp_path)
        except DivergenceError as exc:
            outcomes[mutation] = exc.divergence.reason
            assert site.orders == {}, f"{mutation}: diverged, yet an order went through: {exc.to_json()}"
        else:
            (summary,) = site.orders.values()
            right = EXPECTED_ORDER
            outcomes[mutation] = "completed" if right in summary else "completed_wrong"
            fallback_steps[mutation] = [r.step_id for r in results if r.used_fallback]
        finally:
            await context.close()
    (tmp_path / "mutation-outcomes.json").write_text(json.dumps(outcomes, indent=2))
    assert "completed_wrong" not in outcomes.values()
    assert outcomes == EXPECTED


async def test_generated_ids_are_not_candidates(page: Page) -> None:
    await page.set_content('<button id="ember48213" class="css-1x9a8f2c">Go</button>')
    rec = Recorder(page, trace_id="ids")
    await rec.click(page.get_by_role("button"), "Go")
    target = rec.trace().steps()[0].action.target
    assert all("ember48213" not in c.value for c in target.candidates)
    assert target.candidates[0].strategy == "role"


async def test_click_that_opens_a_dialog_records_it(page: Page) -> None:
    await page.set_content(
        '<button onclick="document.body.insertAdjacentHTML(\'beforeend\', '
        "'<div role=dialog aria-label=Confirm><button>OK</button></div>')\">Delete</button>"
    )
    rec = Recorder(page, trace_id="dialog")
    await rec.click(page.get_by_role("button", name="Delete"), "Ask to delete")
    (post,) = rec.trace().steps()[0].postconditions
    assert post.kind == "element_text" and post.text == "OK", "what appeared, with its text"
    assert post.target.fingerprint.role == "dialog"


async def test_shadow_dom_and_file_chooser(page: Page, serve, tmp_path: Path) -> None:
    site = serve()
    await page.goto(site.url + "/order")
    rec = Recorder(page, trace_id="shadow")
    await rec.fill(page.get_by_label("Promo code"), "SAVE10", "Enter the promo code")
    await rec.click(page.get_by_role("button", name="Apply"), "Apply it")
    steps = rec.trace().steps()
    assert steps[0].action.target.candidates[0].strategy in ("role", "label")
    assert all(c.strategy != "xpath" for c in steps[0].action.target.candidates), "xpath cannot pierce shadow roots"
    await page.set_content('<button onclick="document.getElementById(\'f\').click()">Choose</button><input id="f" type="file" hidden>')
    (tmp_path / "a.txt").write_text("a")
    await rec.upload_file(page.get_by_role("button", name="Choose"), [str(tmp_path / "a.txt")], "Upload through the chooser")
    assert await page.evaluate("document.getElementById('f').files[0].name") == "a.txt"


async def test_missing_parameter_value_is_a_clear_error(page: Page) -> None:
    await page.set_content("<input aria-label=Token>")
    rec = Recorder(page, trace_id="missing")
    with pytest.raises(RecorderError, match="no value given for secret 'token'"):
        await rec.fill(page.get_by_label("Token"), secret("token"), "Type the token")


def test_url_pattern_generalises_ids() -> None:
    assert url_pattern("http://h/confirmation?order=1004") == "http://h/confirmation?order=*"
    assert url_pattern("http://h/orders/12345/edit?tab=notes") == "http://h/orders/*/edit?tab=notes"
    assert url_pattern("http://h/dashboard#top") == "http://h/dashboard"


async def test_new_tab_is_followed_when_recording_and_replaying(page: Page, serve, tmp_path: Path) -> None:
    site = serve()
    rec = Recorder(page, trace_id="tab")
    await rec.goto(site.url + "/dashboard", "Open the dashboard")
    await rec.click(page.get_by_role("link", name="Preferences (new tab)"), "Open settings in a new tab")
    assert rec.page is not page and rec.page.url == site.url + "/settings"
    await rec.assert_text(rec.page.get_by_role("heading"), "Settings", "The settings page is open")
    trace = rec.trace()
    click = trace.steps()[1]
    assert click.action.opens_page and click.postconditions[0].pattern == site.url + "/settings"
    source = compile_trace(trace).source
    assert "opens_page=True" in source and "page = steps.page" in source
    script = tmp_path / "tab.py"
    script.write_text(source, encoding="utf-8")
    module = load_script(script)
    replay_context = await page.context.browser.new_context()
    try:
        replay_page = await replay_context.new_page()
        await module.run(replay_page, load_params(module, {}), Options(base_url=site.url))
        assert [p.url for p in replay_context.pages] == [site.url + "/dashboard", site.url + "/settings"]
    finally:
        await replay_context.close()


async def test_cross_origin_iframe_is_recorded_and_replayed(page: Page, serve, tmp_path: Path) -> None:
    site = serve()
    rec = Recorder(page, trace_id="xorigin")
    await rec.goto(site.url + "/embed", "Open the page with the embedded newsletter")
    frame = page.frame_locator('iframe[title="Newsletter"]')
    await rec.fill(frame.get_by_label("Newsletter e-mail"), "far@example.com", "Type the address in the other origin")
    await rec.click(frame.get_by_role("button", name="Subscribe"), "Subscribe")
    steps = rec.trace().steps()
    assert steps[1].action.target.frame_path == ('iframe[title="Newsletter"]',)
    (status,) = steps[2].postconditions
    # "Subscribed: far@example.com" without the address typed in this run: the words still tell success.
    assert status.kind == "element_text" and status.text == "Subscribed"
    script = tmp_path / "xorigin.py"
    script.write_text(compile_trace(rec.trace()).source, encoding="utf-8")
    module = load_script(script)
    context = await page.context.browser.new_context()
    try:
        replay_page = await context.new_page()
        await module.run(replay_page, load_params(module, {}), Options(base_url=site.url))
        status = replay_page.frame_locator('iframe[title="Newsletter"]').get_by_role("status")
        assert await status.inner_text() == "Subscribed: far@example.com"
    finally:
        await context.close()


async def test_an_element_the_page_replaces_while_it_is_read_is_read_again(page: Page) -> None:
    # A listing that re-renders its results in place (as Wagtail's does after a search) the moment it is
    # first measured: the handle the recorder holds leaves the document, the Locator finds the new copy.
    await page.set_content(
        "<table><tbody><tr><td>Old result</td></tr></tbody></table><script>"
        "const body = document.querySelector('tbody'); const measure = body.getBoundingClientRect;"
        "body.getBoundingClientRect = function () { setTimeout(() => {"
        " const fresh = document.createElement('tbody'); fresh.innerHTML = '<tr><td>New result</td></tr>';"
        " body.replaceWith(fresh); }); return measure.call(this); };</script>"
    )
    rec = Recorder(page, trace_id="rerender")
    await rec.assert_text(page.locator("table tbody"), "New result", "The listing shows the new result")
    condition = rec.trace().steps()[0].action.condition
    assert condition.text == "New result"
    assert await page.locator(condition.target.candidates[0].value).count() == 1
