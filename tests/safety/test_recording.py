"""What the recorder writes down on the adversarial pages: exact names, scoped candidates, strong effects, no stale data."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from codegen import compile_trace
from examples.adversarial import AdversarialSite
from examples.adversarial.flows import SCENARIOS
from runtime import DivergenceError, Options, load_params, load_script
from runtime._locate import is_positional
from runtime._locators import describe, locators_for
from tracer import Recorder, RecorderError, Trace, param


async def _record(browser: Browser, name: str, tmp_path: Path) -> tuple[Trace, AdversarialSite]:
    return await SCENARIOS[name].trace_on_new_site(browser, tmp_path, name)


async def test_names_are_exact_and_a_looser_candidate_never_leads(browser: Browser, tmp_path: Path) -> None:
    trace, site = await _record(browser, "newsletter", tmp_path)
    site.stop()
    click = trace.steps()[1].action.target
    named = [c for c in click.candidates if c.strategy in ("role", "label", "text") and (c.name or c.strategy != "role")]
    assert named and all(c.exact for c in named)
    assert click.candidates[0].name == "Subscribe" and click.candidates[0].exact


async def test_a_row_button_is_scoped_to_the_row_that_holds_its_text(browser: Browser, page: Page, tmp_path: Path) -> None:
    trace, site = await _record(browser, "orders", tmp_path)
    cancel = trace.steps()[1].action.target
    first = cancel.candidates[0]
    assert first.scope is not None and (first.scope.value, first.scope.has_text) == ("row", "Order 1002")
    assert (first.strategy, first.value, first.name, first.exact) == ("role", "button", "Cancel", True)
    assert cancel.fingerprint.context.text == "Order 1002"
    assert 'page.get_by_role("row")' in compile_trace(trace).source
    # Position-only candidates come last, after everything that names the row.
    kinds = [is_positional(describe(loc)) for loc in locators_for(page, cancel)]
    assert kinds == sorted(kinds)
    site.stop()


async def test_the_row_a_parameter_names_is_the_row_a_replay_with_another_value_acts_in(
    browser: Browser, page: Page, tmp_path: Path
) -> None:
    site = AdversarialSite().start()
    try:
        rec = Recorder(page, trace_id="cancel-any", params={"order": "Order 1002"})
        await rec.goto(site.url + "/orders", "Open the orders")
        row = page.get_by_role("row").filter(has_text="Order 1002")
        await rec.click(row.get_by_role("button", name="Cancel"), "Cancel the order")
        trace = rec.trace()
    finally:
        site.stop()
    cancel = trace.steps()[1]
    first = cancel.action.target.candidates[0]
    assert first.scope is not None and first.scope.template is not None
    assert [(r.kind, r.name) for r in first.scope.template.refs()] == [("param", "order")]
    assert cancel.action.target.fingerprint.templates["context"].refs()[0].name == "order"
    banner = cancel.postconditions[-1]
    assert banner.kind == "element_text" and banner.template is not None, banner
    source = compile_trace(trace).source
    assert 'page.get_by_role("row").filter(has_text=params.order)' in source
    assert "1002" not in source.split("RECORDED")[0].split("class Params")[1]

    script = tmp_path / "cancel.py"
    script.write_text(source, encoding="utf-8")
    module = load_script(script)
    for value, variant in (("Order 1003", "reordered"), ("Order 1001", "resorted_new_row")):
        site = AdversarialSite(variants=(variant,)).start()
        context = await browser.new_context()
        try:
            await module.run(await context.new_page(), load_params(module, {"order": value}), Options(base_url=site.url))
            assert site.events[-1] == ("cancel", value.split()[-1]) and [e for e in site.events if e[0] == "cancel"] == [
                site.events[-1]
            ], site.events
        finally:
            await context.close()
            site.stop()


async def test_a_form_post_back_to_the_same_url_is_recorded_with_what_proves_it(browser: Browser, tmp_path: Path) -> None:
    trace, site = await _record(browser, "newsletter", tmp_path)
    site.stop()
    step = trace.steps()[1]
    assert step.url_before == step.url_after
    url, request, banner = step.postconditions
    assert url.kind == "url" and url.pattern.endswith("/newsletter")
    assert (request.kind, request.method, request.navigates) == ("request", "POST", True)
    assert request.url.endswith("/newsletter/subscribe")
    assert banner.kind == "element_text" and banner.text == "You are subscribed."


async def test_recording_time_data_becomes_a_template_over_the_parameter(browser: Browser, tmp_path: Path) -> None:
    trace, site = await _record(browser, "items", tmp_path)
    site.stop()
    create, open_item = trace.steps()[2], trace.steps()[3]
    flash = create.postconditions[-1]
    assert flash.kind == "element_text" and flash.template is not None
    assert [p if isinstance(p, str) else (p.kind, p.name) for p in flash.template.parts] == [
        "Created “", ("param", "title"), "”."
    ]
    target = open_item.action.target
    named = [c for c in target.candidates if "Blue kettle" in c.value + (c.name or "")]
    assert named and all(c.template is not None and c.template.refs()[0].name == "title" for c in named)
    assert target.fingerprint.templates is not None and "name" in target.fingerprint.templates
    assert not target.fingerprint.stale, "templated fields verify against this run's value"
    source = compile_trace(trace).source
    assert 'page.get_by_role("link", name=params.title, exact=True)' in source
    assert "Blue kettle" not in source.split("RECORDED")[0]


async def test_recording_time_data_no_parameter_stands_for_is_dropped_and_never_verifies(page: Page) -> None:
    site = AdversarialSite().start()
    try:
        rec = Recorder(page, trace_id="literal")
        await rec.goto(site.url + "/items", "Open the items")
        await rec.fill(page.get_by_label("Title"), "Blue kettle", "Name it (typed as a literal)")
        await rec.click(page.get_by_role("button", name="Create"), "Create it")
        await rec.click(page.get_by_role("link", name="Blue kettle"), "Open the item just created")
        create, open_item = rec.trace().steps()[2], rec.trace().steps()[3]
        assert create.postconditions[-1].text == "Created", "the typed title is cut out of the check"
        target = open_item.action.target
        assert all("Blue kettle" not in (c.value + (c.name or "")) for c in target.candidates)
        assert "name" in target.fingerprint.stale
    finally:
        site.stop()


async def test_checks_that_would_only_find_the_recordings_own_data_are_refused(page: Page) -> None:
    site = AdversarialSite().start()
    try:
        rec = Recorder(page, trace_id="checks", params={"title": "Blue kettle"})
        await rec.goto(site.url + "/items", "Open the items")
        await rec.fill(page.get_by_label("Title"), param("title"), "Name it")
        await rec.fill(page.get_by_label("Title"), "Teal kettle", "Name it again, as a literal")
        await rec.click(page.get_by_role("button", name="Create"), "Create it")
        with pytest.raises(RecorderError, match="recording's own data"):
            await rec.assert_text(page.get_by_role("status"), "Teal kettle", "The new item is announced")
        with pytest.raises(RecorderError, match="recording's own data"):
            await rec.assert_state(page.get_by_role("link", name="Teal kettle"), "visible", "The new item is listed")
        await rec.assert_state(page.get_by_role("link", name="Green teapot"), "visible", "Older items are listed")
        # The parameter's value is this run's data: a check of it is a template, and it is kept.
        await rec.fill(page.get_by_label("Title"), param("title"), "Name another one")
        await rec.click(page.get_by_role("button", name="Create"), "Create it too")
        await rec.assert_text(page.get_by_role("status"), "Blue kettle", "The new item is announced")
        check = rec.trace().steps()[-1].action.condition
        assert check.template is not None and check.template.refs()[0].name == "title"
    finally:
        site.stop()


async def test_a_position_only_candidate_among_look_alike_siblings_is_ambiguous(
    browser: Browser, tmp_path: Path
) -> None:
    trace, recording_site = await _record(browser, "todos", tmp_path)
    recording_site.stop()
    # What a recorder without container context wrote for a todo item's checkbox: a CSS path and a
    # fingerprint every item's checkbox shares.
    tick = trace.blocks[0].steps[1]
    target = tick.action.target
    positional = tuple(c for c in target.candidates if c.scope is None and c.strategy == "css")
    bare = target.model_copy(update={"candidates": positional, "fingerprint": target.fingerprint.model_copy(update={"context": None})})
    steps = (trace.blocks[0].steps[0], tick.model_copy(update={"action": tick.action.model_copy(update={"target": bare})}))
    trace = trace.model_copy(update={"blocks": (trace.blocks[0].model_copy(update={"steps": steps}),)})
    script = tmp_path / "bare.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    module = load_script(script)
    site = AdversarialSite(variants=("reordered",)).start()
    context = await browser.new_context()
    try:
        with pytest.raises(DivergenceError) as info:
            await module.run(await context.new_page(), load_params(module, {}), Options(base_url=site.url))
    finally:
        await context.close()
        site.stop()
    assert info.value.divergence.reason == "ambiguous"
    assert site.events == [], "no item was ticked"
