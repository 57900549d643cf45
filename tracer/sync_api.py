"""The recorder for Playwright's sync API: `from tracer.sync_api import Recorder, param, secret`.

The same methods as `tracer.Recorder`, without `await`, taking `playwright.sync_api` pages, locators
and element handles; they produce the same traces.

    from playwright.sync_api import sync_playwright
    from tracer.sync_api import Recorder, param

    with sync_playwright() as p:
        page = p.chromium.launch().new_page()
        rec = Recorder(page, trace_id="signup", params={"email": "ada@example.com"})
        rec.goto("https://example.com/signup", "Open the sign-up page")
        rec.fill(page.get_by_label("E-mail"), param("email"), "Type the e-mail")
        rec.save("signup.json")
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import ElementHandle, Locator, Page

from ._model import ParamRef, SecretRef, Step, Trace
from ._recorder import Recorder as AsyncRecorder
from ._recorder import RecorderError, param, secret
from ._sync import async_twin, run_on, sync_twin

__all__ = ["Recorder", "RecorderError", "param", "secret"]

Element = Locator | ElementHandle
Text = str | ParamRef | SecretRef
BlockKind = Literal["task", "navigation", "action", "extraction", "login"]


class Recorder:
    """Wraps a sync-API page; every method acts on the page and records a Step (see `tracer.Recorder`)."""

    def __init__(
        self,
        page: Page,
        *,
        trace_id: str,
        title: str = "",
        params: dict[str, str | int | float | bool] | None = None,
        secrets: dict[str, str] | None = None,
        block: str = "task",
        block_kind: BlockKind = "task",
    ) -> None:
        self._owner = page
        self._recorder = AsyncRecorder(
            async_twin(page), trace_id=trace_id, title=title, params=params, secrets=secrets, block=block,
            block_kind=block_kind,
        )

    def _run(self, coroutine: Any) -> Any:
        return run_on(self._owner, coroutine)

    @property
    def page(self) -> Page:
        """The page being recorded; a click that opens a tab moves it there."""
        return sync_twin(self._recorder.page)

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step recorded so far, in order."""
        return self._recorder.steps

    def block(self, label: str, kind: BlockKind = "task") -> None:
        """Start a new block; the steps that follow belong to it."""
        self._recorder.block(label, kind)

    def undo(self) -> Step:
        """Drop the last recorded step (the page is not rolled back)."""
        return self._recorder.undo()

    def trace(self) -> Trace:
        """The trace recorded so far."""
        return self._recorder.trace()

    def save(self, path: str | Path) -> Trace:
        """Write the trace atomically; returns it."""
        return self._recorder.save(path)

    def goto(self, url: str | ParamRef, intention: str) -> None:
        """Open `url` (a literal, or `param(name)`)."""
        self._run(self._recorder.goto(url, intention))

    def click(
        self,
        target: Element,
        intention: str,
        *,
        button: Literal["left", "right", "middle"] = "left",
        click_count: int = 1,
        modifiers: tuple[Literal["Alt", "Control", "Meta", "Shift"], ...] = (),
    ) -> None:
        """Click the element; a URL it leads to, a tab it opens or an element it shows is recorded too."""
        self._run(self._recorder.click(
            async_twin(target), intention, button=button, click_count=click_count, modifiers=modifiers
        ))

    def fill(self, target: Element, value: Text, intention: str) -> None:
        """Type `value` (a literal, `param(name)` or `secret(name)`) into the field."""
        self._run(self._recorder.fill(async_twin(target), value, intention))

    def select_option(
        self, target: Element, options: Text | list[Text], intention: str, *, by: Literal["value", "label"] = "label"
    ) -> None:
        """Choose one option (a string) or several (a list), by label or by value."""
        self._run(self._recorder.select_option(async_twin(target), options, intention, by=by))

    def set_checked(self, target: Element, checked: bool, intention: str) -> None:
        """Check or uncheck a checkbox or radio button."""
        self._run(self._recorder.set_checked(async_twin(target), checked, intention))

    def press(self, target: Element | None, key: str, intention: str) -> None:
        """Press `key` on the element, or on the page when `target` is None."""
        self._run(self._recorder.press(None if target is None else async_twin(target), key, intention))

    def hover(self, target: Element, intention: str) -> None:
        """Move the mouse over the element."""
        self._run(self._recorder.hover(async_twin(target), intention))

    def scroll(self, target: Element | None, intention: str, *, delta_x: int = 0, delta_y: int = 0) -> None:
        """Scroll the element into view, or the page by the deltas when `target` is None."""
        self._run(self._recorder.scroll(
            None if target is None else async_twin(target), intention, delta_x=delta_x, delta_y=delta_y
        ))

    def upload_file(self, target: Element, files: list[Text], intention: str) -> None:
        """Upload through a file input, or through the file chooser a button opens."""
        self._run(self._recorder.upload_file(async_twin(target), files, intention))

    def download(self, target: Element, intention: str, *, save_as: str | Path | None = None) -> Path:
        """Click the element and keep the download it starts; returns its path."""
        return self._run(self._recorder.download(async_twin(target), intention, save_as=save_as))

    def extract(
        self, output: str, fields: dict[str, dict[str, Any]], intention: str, *, json_schema: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Read data off the page (see `tracer.Recorder.extract`); returns what its replay will return."""
        specs = {name: {**spec, "target": async_twin(spec["target"])} for name, spec in fields.items()}
        return self._run(self._recorder.extract(output, specs, intention, json_schema=json_schema))

    def assert_text(self, target: Element, text: str | ParamRef, intention: str, *, exact: bool = False) -> None:
        """The element shows `text` (a literal, or `param(name)`)."""
        self._run(self._recorder.assert_text(async_twin(target), text, intention, exact=exact))

    def assert_url(self, pattern: str, intention: str) -> None:
        """The page's URL matches `pattern`."""
        self._run(self._recorder.assert_url(pattern, intention))

    def assert_value(self, target: Element, value: Text, intention: str) -> None:
        """The field holds `value`."""
        self._run(self._recorder.assert_value(async_twin(target), value, intention))

    def assert_state(
        self,
        target: Element,
        state: Literal["visible", "hidden", "checked", "unchecked", "enabled", "disabled"],
        intention: str,
    ) -> None:
        """The element is in `state`."""
        self._run(self._recorder.assert_state(async_twin(target), state, intention))

    def complete(self, intention: str, summary: str = "") -> None:
        """Mark the task done."""
        self._run(self._recorder.complete(intention, summary))
