"""What the recorder writes down after an action: requests, dialogs, text that appeared, a box's state."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser

from examples.adversarial.flows import SCENARIOS


async def _record(browser: Browser, name: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    trace, site = await SCENARIOS[name].trace_on_new_site(browser, tmp_path, name)
    site.stop()
    return trace, site


async def test_a_fetch_and_the_text_it_changed_are_recorded(browser: Browser, tmp_path: Path) -> None:
    trace, _ = await _record(browser, "todos", tmp_path)
    tick, clear = trace.steps()[1], trace.steps()[2]
    checked, toggled = tick.postconditions
    assert (checked.kind, checked.state) == ("element_state", "checked")
    assert (toggled.kind, toggled.method, toggled.navigates) == ("request", "POST", False)
    request, status = clear.postconditions
    assert request.kind == "request" and request.url.endswith("/api/todos/clear")
    assert status.kind == "element_text" and status.text == "Cleared"


async def test_a_confirmation_dialog_is_recorded_and_accepted(browser: Browser, tmp_path: Path) -> None:
    trace, site = await _record(browser, "bin", tmp_path)
    request, dialog, state = trace.steps()[1].postconditions
    assert (dialog.kind, dialog.type, dialog.message) == ("dialog", "confirm", "Empty the bin for good?")
    assert request.kind == "request" and request.url.endswith("/api/bin/empty")
    assert state.text == "The bin is empty."
    assert site.events == [("empty_bin",)], "the recording confirmed the dialog, as the step meant"
