"""Flows recorded on realistic apps replay with new data: typed values and created ids become templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from codegen import compile_trace
from runtime import Options, load_params, load_script
from tracer import Recorder, Trace, param

from ..apps.desk import Desk
from ..apps.todos import Todos


async def _replay(trace: Trace, browser: Browser, tmp_path: Path, values: dict[str, Any], **options: Any) -> tuple[dict, list]:
    script = tmp_path / f"{trace.id}.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    module = load_script(script)
    results: list = []
    context = await browser.new_context()
    try:
        outputs = await module.run(await context.new_page(), load_params(module, values), Options(on_step=results.append, **options))
    finally:
        await context.close()
    return outputs, results


async def _record_desk(page: Page, desk: Desk) -> Trace:
    rec = Recorder(page, trace_id="desk", params={"title": "Printer on fire", "priority": "High"})
    await rec.goto(desk.url + "/admin/desk/ticket/", "Open the ticket list")
    await rec.click(page.get_by_role("link", name="Add ticket"), "Add a ticket")
    await rec.fill(page.get_by_label("Title:"), param("title"), "Type the title")
    await rec.select_option(page.get_by_label("Priority:"), [param("priority")], "Choose the priority")
    await rec.select_option(page.get_by_label("Assignee:"), ["bob"], "Assign it to bob")
    await rec.click(page.get_by_role("button", name="Save and continue editing"), "Save and keep editing")
    message = page.locator(".messagelist .success")
    await rec.assert_text(
        message, "The ticket “Printer on fire” was added successfully. You may edit it again below.", "It was added", exact=True
    )
    await rec.click(page.get_by_role("link", name="History"), "Open its history")
    await rec.assert_text(page.locator("#content h1"), "Change history: Printer on fire", "Its history", exact=True)
    await rec.click(page.locator(".breadcrumbs").get_by_role("link", name="Printer on fire"), "Back to the ticket")
    await rec.click(page.get_by_role("button", name="Save", exact=True), "Save it")
    await rec.click(page.get_by_role("link", name="Printer on fire"), "Open it from the list")
    return rec.trace()


@pytest.fixture
def desk() -> Any:
    with Desk() as app:
        yield app


async def test_desk_flow_replays_with_new_data_and_new_ids(desk: Desk, browser: Browser, page: Page, tmp_path: Path) -> None:
    desk.add_ticket("Already there")  # the recorded ticket gets id 2
    trace = await _record_desk(page, desk)
    source = compile_trace(trace).source
    # What a careful person writes: the typed title and the created id, never the recording's values.
    assert 'f"The ticket “{params.title}” was added successfully. You may edit it again below."' in source
    assert 'f"Change history: {params.title}"' in source
    assert "Printer on fire" not in source.split("RECORDED")[0]
    save = trace.steps()[5]
    url = save.postconditions[0]
    # Issue 11's stronger checks ride along: the form post itself, and the message with the typed title.
    assert [p.kind for p in save.postconditions][:2] == ["url", "request"]
    assert url.pattern.endswith("/admin/desk/ticket/*/change/")
    assert [r.name for r in url.template.refs()] == ["ticket_id"]
    priority = trace.steps()[3].postconditions[0]
    assert priority.by == "label" and priority.value.kind == "param"  # the label, not the key "3"

    for title, level in (("Paper jam", "Low"), ("Toner {low} \\ “quoted”", "Normal")):
        outputs, results = await _replay(trace, browser, tmp_path, {"title": title, "priority": level})
        created = [t for t in desk.tickets.values() if t.title == title]
        assert len(created) == 1, f"{title!r} was not created once: {desk.tickets}"
        assert created[0].priority == {"Low": "1", "Normal": "2"}[level] and created[0].assignee == "7"
        assert created[0].history == ["Added.", "Changed."]
        assert outputs["vars"] == {"ticket_id": str(created[0].id)}
        assert not [r for r in results if r.used_fallback], [(r.step_id, r.selector) for r in results if r.used_fallback]
    assert sorted(t.id for t in desk.tickets.values()) == [1, 2, 3, 4]


async def test_todo_spa_routes_by_fragment_and_counts(browser: Browser, page: Page, tmp_path: Path) -> None:
    with Todos() as app:
        rec = Recorder(page, trace_id="todos", params={"todo": "Buy milk"})
        await rec.goto(app.url + "/todos/#/", "Open the list")
        await rec.fill(page.get_by_placeholder("What needs to be done?"), param("todo"), "Type the item")
        await rec.press(page.get_by_placeholder("What needs to be done?"), "Enter", "Add it")
        await rec.click(page.get_by_role("link", name="Buy milk"), "Open it")
        await rec.assert_text(page.get_by_role("heading", level=2), "Item 1", "Its page", exact=True)
        await rec.click(page.get_by_role("button", name="Mark done"), "Mark it done")
        await rec.click(page.get_by_role("link", name="Back to the list"), "Back to the list")
        await rec.click(page.get_by_role("button", name="Clear completed (1)"), "Clear what is done")
        await rec.assert_text(page.locator(".todo-count"), "0 items left", "Nothing is left", exact=True)
        trace = rec.trace()
        source = compile_trace(trace).source
        assert 'page.get_by_role("link", name=params.todo, exact=True)' in source
        assert 're.compile(r"^Clear completed \\(\\d+\\)$")' in source
        assert 'f"Item {steps.vars.item_id}"' in source
        opened = trace.steps()[3].postconditions[0]
        assert opened.pattern.endswith("/todos/#/items/*")

        app.add("Walk the dog", done=True)  # so that the replay clears two
        outputs, _ = await _replay(trace, browser, tmp_path, {"todo": "Water the plants"})
        assert outputs["vars"] == {"item_id": "3"}
        assert app.todos == {}, "the new item was marked done and cleared, with the other done one"
