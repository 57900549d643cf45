"""`Steps`: what generated scripts call. Each method locates, verifies, acts, then checks what must hold."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Literal

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from pydantic import BaseModel, SecretStr

from tracer import ElementState, FieldValue, Fingerprint, LiteralValue, ParamRef, Target

from ._checks import FIELD_VALUE, Checks, expected_text, text_holds
from ._devtools import DevtoolsSteps
from ._divergence import diverge, first_line, locate_message
from ._errors import CandidateOutcome, DivergenceError, Reason, TaskTerminated
from ._extract import FieldSpec, coerce, read_field, reader_for, validate
from ._files import download_path, upload_problem
from ._intent import contradiction
from ._locate import LocateFailed, Located, locate, near_miss
from ._locators import frame_scope, locators_for
from ._options import HealRequest, Options
from ._origins import secret_origin_problem
from ._recorded import Recorded
from ._redact import Redactor
from ._replay import Replay
from ._results import StepResult
from ._values import Text, plain
from ._vars import RunVars

__all__ = ["StepResult", "Steps"]


class Steps:
    """One replay of one generated script on one page."""

    def __init__(
        self,
        page: Page,
        params: BaseModel,
        recorded: dict[str, dict[str, Any]],
        *,
        start_url: str,
        options: Options | None = None,
    ) -> None:
        self._replay = Replay(
            page=page,
            params=params,
            options=options or Options(),
            start_url=start_url,
            recorded=Recorded(recorded),
            redact=Redactor.for_params(params),
            vars=RunVars(on_first=lambda captured: self.outputs.__setitem__("vars", captured)),
        )
        self._checks = Checks(self._replay)
        self.outputs: dict[str, Any] = {}
        self.downloads: dict[str, Path] = {}
        self.results: list[StepResult] = []
        self._pending: asyncio.Future[None] | None = None
        self.healed: dict[str, Target] = {}
        """Step id -> the target a healer found for it, verified and used in this replay."""
        self.devtools = DevtoolsSteps(self)
        """Imported DevTools Recorder steps, replayed with @puppeteer/replay's semantics."""

    @property
    def page(self) -> Page:
        """The page the replay acts on; a click that opens a tab moves it there."""
        return self._replay.page

    @page.setter
    def page(self, page: Page) -> None:
        self._replay.page = page

    @property
    def params(self) -> BaseModel:
        """The run's parameter values."""
        return self._replay.params

    @property
    def vars(self) -> RunVars:
        """Ids captured from URLs during this replay (`steps.vars.user_id`); also `outputs["vars"]`."""
        return self._replay.vars

    @property
    def options(self) -> Options:
        """The replay's settings."""
        return self._replay.options

    @property
    def start_url(self) -> str:
        """The URL the trace was recorded from (recorded URLs are rebased from its origin)."""
        return self._replay.start_url

    @property
    def block_label(self) -> str | None:
        """The label of the block running now, if any."""
        return self._replay.block_label

    @block_label.setter
    def block_label(self, label: str | None) -> None:
        self._replay.block_label = label

    def redact(self, text: str) -> str:
        """`text` with every secret parameter's value replaced by ***."""
        return self._replay.redact(text)

    # --- structure ------------------------------------------------------------

    async def block(self, label: str, body: Callable[[Steps, Page, Any], Awaitable[None]]) -> None:
        """Run one block's function; a check a step left pending is settled before it ends."""
        self.block_label = label
        try:
            await body(self, self.page, self.params)
            await self.settle()
        except BaseException:
            self._discard_pending()
            raise
        finally:
            self.block_label = None

    # --- navigation -----------------------------------------------------------

    async def goto(self, step_id: str, url: str | ParamRef) -> None:
        """Open a URL on this replay's origin; an error page or HTTP >= 400 diverges."""
        async with self._step(step_id, "goto"):
            address = self._replay.url(str(url))
            try:
                response = await self.page.goto(
                    address, wait_until="load", timeout=self._replay.options.navigation_timeout * 1000
                )
            except PlaywrightError as exc:
                raise await self._diverge(step_id, "navigation_failed", f"cannot open {address}: {first_line(exc)}")
            if response is not None and response.status >= 400:
                raise await self._diverge(step_id, "navigation_failed", f"{address} answered HTTP {response.status}")
            await self._checks.postconditions(step_id, None)

    async def set_viewport(self, step_id: str, width: int, height: int) -> None:
        """Resize the viewport."""
        async with self._step(step_id, "set_viewport"):
            await self.page.set_viewport_size({"width": width, "height": height})

    async def wait_for_url(self, step_id: str, pattern: str, *, timeout_ms: int = 10_000) -> None:
        """Wait until the URL matches `pattern`, else diverge."""
        async with self._step(step_id, "wait_for"):
            if not await self._checks.wait_url(pattern, timeout_ms / 1000):
                raise await self._diverge(step_id, "unexpected_url", f"URL never matched {self._replay.url(pattern)!r}")

    async def wait_for_expression(self, step_id: str, expression: str, *, timeout_ms: int = 10_000) -> None:
        """Wait until a page expression is true, else diverge."""
        async with self._step(step_id, "wait_for"):
            try:
                await self.page.wait_for_function(expression, timeout=timeout_ms)
            except PlaywrightTimeoutError:
                raise await self._diverge(step_id, "timeout", "the page expression never became true")
            except PlaywrightError as exc:
                raise await self._diverge(step_id, "action_failed", f"page expression failed: {first_line(exc)}")

    # --- element actions ------------------------------------------------------

    async def click(
        self,
        step_id: str,
        candidates: list[Locator],
        *,
        button: Literal["left", "right", "middle"] = "left",
        click_count: int = 1,
        modifiers: Sequence[Literal["Alt", "Control", "Meta", "Shift"]] = (),
        opens_page: bool = False,
    ) -> None:
        """Click the first candidate that verifies; with `opens_page`, continue in the new tab."""
        async with self._step(step_id, "click", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            click = el.locator.click(
                button=button,
                click_count=click_count,
                modifiers=list(modifiers) or None,
                timeout=self._replay.options.action_timeout * 1000,
            )
            if not opens_page:
                await self._act(step_id, click)
                await self._checks.postconditions(step_id, el.locator)
                return

            async def follow() -> Page:
                async with self.page.context.expect_page(timeout=self._replay.options.action_timeout * 1000) as info:
                    await click
                opened = await info.value
                await opened.wait_for_load_state("load", timeout=self._replay.options.navigation_timeout * 1000)
                return opened

            self.page = await self._act(step_id, follow())
            await self._checks.postconditions(step_id, None)

    async def fill(self, step_id: str, candidates: list[Locator], value: Text) -> None:
        """Type `value` into the field that verifies, and check that it kept it."""
        async with self._step(step_id, "fill", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            if isinstance(value, SecretStr):
                problem = await secret_origin_problem(self._replay, step_id, el.locator)
                if problem:
                    raise await self._diverge(step_id, "secret_origin", problem)
            text = plain(value)
            timeout = self._replay.options.action_timeout * 1000
            if el.live.get("tag") == "select":
                # Imported "change" steps fill whatever control they met: a list takes the option
                # with that value, or failing that, with that label.
                chosen = await self._act(step_id, _select_value_or_label(el.locator, text, timeout))
                text = chosen[0] if chosen else text
            else:
                await self._act(step_id, el.locator.fill(text, timeout=timeout))
            # Whether the field kept the value is read back while the next step looks for its element
            # (both only read the page); that step acts only once this check has passed. The check
            # settles a recorded "field holds the value" on this field too.
            # Outside a block (Steps used directly) nothing would settle it later, so it is checked now.
            check = self._verify_fill(step_id, self.block_label, el.locator, text, value)
            if self.block_label is None:
                await check
            else:
                self._pending = asyncio.ensure_future(check)
            await self._checks.postconditions(step_id, el.locator, own_value_checked=True)

    async def select_option(
        self, step_id: str, candidates: list[Locator], options: list[Text], *, by: Literal["value", "label"] = "label"
    ) -> None:
        """Choose options of the list that verifies; a missing option diverges."""
        async with self._step(step_id, "select_option", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            wanted = [plain(o) for o in options]
            offered = el.live.get("options") or []
            present = {pair[0 if by == "value" else 1] for pair in offered or []}
            missing = [w for w in wanted if w not in present]
            if missing:
                raise await self._diverge(
                    step_id, "element_missing", f"the list offers no option with {by} {missing[0]!r}"
                )
            kwargs: dict[str, Any] = {"value": wanted} if by == "value" else {"label": wanted}
            chosen = await self._act(step_id, el.locator.select_option(**kwargs, timeout=self._replay.options.action_timeout * 1000))
            # Playwright answers with what is now selected: a recorded "the list holds X" is settled by it
            # (by its label too, when the option was chosen by that label).
            held = chosen + wanted if by == "label" and len(chosen) == 1 else chosen
            await self._checks.postconditions(step_id, el.locator, own_value_checked=len(chosen) == 1, own_value=held)

    async def set_checked(self, step_id: str, candidates: list[Locator], checked: bool) -> None:
        """Check or uncheck the box that verifies."""
        async with self._step(step_id, "set_checked", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            await self._act(step_id, el.locator.set_checked(checked, timeout=self._replay.options.action_timeout * 1000))
            # set_checked fails unless the state changed, so the box's own checked state is already known.
            await self._checks.postconditions(step_id, el.locator, own_state="checked" if checked else "unchecked")

    async def press(self, step_id: str, candidates: list[Locator] | None, key: str) -> None:
        """Press a key on the element that verifies, or on the page."""
        async with self._step(step_id, "press", locates=candidates is not None) as found:
            if candidates is None:
                await self._act(step_id, self.page.keyboard.press(key))
                await self._checks.postconditions(step_id, None)
                return
            el = await self._locate(step_id, candidates, found)
            await self._act(step_id, el.locator.press(key, timeout=self._replay.options.action_timeout * 1000))
            await self._checks.postconditions(step_id, el.locator)

    async def hover(self, step_id: str, candidates: list[Locator]) -> None:
        """Hover the element that verifies."""
        async with self._step(step_id, "hover", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            await self._act(step_id, el.locator.hover(timeout=self._replay.options.action_timeout * 1000))
            await self._checks.postconditions(step_id, el.locator)

    async def scroll(
        self, step_id: str, candidates: list[Locator] | None, *, delta_x: int = 0, delta_y: int = 0
    ) -> None:
        """Scroll the element that verifies into view, or the page by the deltas."""
        async with self._step(step_id, "scroll", locates=candidates is not None) as found:
            if candidates is None:
                await self._act(step_id, self.page.evaluate("([x, y]) => window.scrollBy(x, y)", [delta_x, delta_y]))
                return
            el = await self._locate(step_id, candidates, found)
            await self._act(step_id, el.locator.scroll_into_view_if_needed(timeout=self._replay.options.action_timeout * 1000))

    async def upload_file(self, step_id: str, candidates: list[Locator], files: list[Text]) -> None:
        """Upload files through the input or button that verifies."""
        async with self._step(step_id, "upload_file", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            for file in files:
                problem = upload_problem(self._replay.options, file)
                if problem:
                    raise await self._diverge(step_id, "action_failed", problem)
            paths = [plain(f) for f in files]
            timeout = self._replay.options.action_timeout * 1000
            attributes = el.live.get("attributes") or {}
            if el.live.get("tag") == "input" and attributes.get("type") == "file":
                await self._act(step_id, el.locator.set_input_files(paths, timeout=timeout))
            else:  # a button that opens the file chooser
                async def choose() -> None:
                    async with self.page.expect_file_chooser(timeout=timeout) as chooser:
                        await el.locator.click(timeout=timeout)
                    await (await chooser.value).set_files(paths)

                await self._act(step_id, choose())
            await self._checks.postconditions(step_id, el.locator)

    async def download(self, step_id: str, candidates: list[Locator], *, save_as: Text | None = None) -> Path:
        """Click the element that verifies and save the download; returns its path."""
        async with self._step(step_id, "download", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            timeout = self._replay.options.action_timeout * 1000

            async def fetch() -> Path:
                async with self.page.expect_download(timeout=timeout) as info:
                    await el.locator.click(timeout=timeout)
                download = await info.value
                name = plain(save_as) if save_as is not None else None
                path = download_path(self._replay.options, name, download.suggested_filename)
                path.parent.mkdir(parents=True, exist_ok=True)
                await download.save_as(path)
                return path

            path = await self._act(step_id, fetch())
            self.downloads[step_id] = path
            return path

    async def wait_for(
        self,
        step_id: str,
        candidates: list[Locator],
        *,
        state: Literal["visible", "hidden", "attached", "detached"] = "visible",
        timeout_ms: int = 10_000,
    ) -> None:
        """Wait until the element verifies (visible, attached) or goes (hidden, detached)."""
        async with self._step(step_id, "wait_for", locates=state in ("visible", "attached")) as found:
            if state in ("visible", "attached"):
                el = await self._locate(step_id, candidates, found, timeout=timeout_ms / 1000)
                found.append(el)
                return
            try:
                await candidates[0].first.wait_for(state=state, timeout=timeout_ms)
            except PlaywrightTimeoutError:
                raise await self._diverge(step_id, "timeout", f"the element never became {state}")

    # --- extraction and assertions -------------------------------------------

    async def extract(self, step_id: str, output: str, fields: dict[str, FieldSpec]) -> dict[str, Any]:
        """Read the fields through their verified candidates, coerce them to the recorded schema, validate."""
        async with self._step(step_id, "extract", locates=True) as found:
            schema = self._replay.recorded.get(step_id, "schema", {"type": "object"})
            properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
            data: dict[str, Any] = {}
            for name, spec in fields.items():
                reader = reader_for(spec)
                el = await self._locate(
                    step_id, spec.candidates, found, key=f"fingerprint:{name}", many=spec.many, reader=reader
                )
                raw = el.value if el.value is not None else await self._act(step_id, read_field(spec, el.locator))
                data[name] = coerce(raw, properties[name]) if isinstance(properties.get(name), dict) else raw
            problem = validate(data, schema)
            if problem:
                raise await self._diverge(step_id, "extraction_invalid", f"extracted data does not fit the schema {problem}")
            self.outputs[output] = data
            return data

    async def expect_url(self, step_id: str, pattern: str) -> None:
        """The page's URL matches `pattern`, else diverge."""
        async with self._step(step_id, "assert"):
            if not await self._checks.wait_url(pattern, self._replay.options.postcondition_timeout):
                raise await self._diverge(
                    step_id, "unexpected_url", f"expected URL {self._replay.url(pattern)!r}, page is at {self.page.url!r}"
                )

    async def expect_text(
        self, step_id: str, candidates: list[Locator], text: str | re.Pattern[str], *, exact: bool = False
    ) -> None:
        """The element's text holds `text` (equals it with `exact`); a pattern (a counter) must match it."""
        async with self._step(step_id, "assert", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            # The probe already read the element's text (capped at 200 characters): when that settles
            # it, a second round trip adds nothing.
            seen = el.live.get("text") or ""
            if len(seen) < 200 and text_holds(seen, text, exact=exact):
                return
            await self._checks.expect(step_id, expected_text(text, exact), el.locator)

    async def expect_value(self, step_id: str, candidates: list[Locator], value: Text) -> None:
        """The field that verifies holds `value`, else diverge."""
        async with self._step(step_id, "assert", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            secret = isinstance(value, SecretStr)
            await self._checks.expect(step_id, FieldValue(value=LiteralValue(value=plain(value))), el.locator, secret=secret)

    async def expect_state(
        self,
        step_id: str,
        candidates: list[Locator],
        state: Literal["visible", "hidden", "checked", "unchecked", "enabled", "disabled"],
    ) -> None:
        """The element that verifies is in `state`, else diverge."""
        async with self._step(step_id, "assert", locates=True) as found:
            el = await self._locate(step_id, candidates, found)
            await self._checks.expect(step_id, ElementState(state=state), el.locator)

    async def complete(self, step_id: str, summary: str = "") -> None:
        """The recorded task ends here, done."""
        async with self._step(step_id, "complete"):
            pass

    async def terminate(self, step_id: str, reason: str = "") -> None:
        """The recorded task ends here, not done: raises TaskTerminated."""
        async with self._step(step_id, "terminate"):
            raise TaskTerminated(step_id, reason)

    # --- machinery ------------------------------------------------------------

    @asynccontextmanager
    async def _step(self, step_id: str, action: str, *, locates: bool = False) -> AsyncIterator[list[Located]]:
        if not locates:
            await self.settle()  # a step that finds an element settles the last one's check in the same trip
        found: list[Located] = []
        start = time.perf_counter()
        yield found
        el = found[0] if found else None
        result = StepResult(
            block=self.block_label,
            step_id=step_id,
            action=action,
            intention=self._replay.recorded.intention(step_id),
            seconds=round(time.perf_counter() - start, 4),
            candidate_index=el.index if el else None,
            selector=el.selector if el else None,
            score=el.score if el else None,
            healed=step_id in self.healed,
        )
        self.results.append(result)
        if self._replay.options.on_step is not None:
            self._replay.options.on_step(result)

    async def _locate(
        self,
        step_id: str,
        candidates: list[Locator],
        found: list[Located],
        *,
        key: str = "fingerprint",
        many: bool = False,
        timeout: float | None = None,
        reader: Any = None,
    ) -> Located:
        recorded = self._replay.fingerprint(step_id, key)
        probe = locate(
            self.page,
            candidates,
            recorded,
            timeout=self._replay.options.locate_timeout if timeout is None else timeout,
            min_score=self._replay.options.min_score,
            many=many,
            reader=reader,
            settle=self._replay.settle_wait(step_id) if timeout is None else None,
        )
        pending, self._pending = self._pending, None
        try:
            if pending is None:
                el = await probe
            else:
                earlier, outcome = await asyncio.gather(pending, probe, return_exceptions=True)
                if isinstance(earlier, BaseException):
                    raise earlier  # the previous step's check failed: nothing of this step has acted yet
                if isinstance(outcome, BaseException):
                    raise outcome
                el = outcome
        except LocateFailed as failed:
            healed = None if many or key != "fingerprint" else await self._heal(step_id, failed, timeout)
            if healed is not None:
                if not found:
                    found.append(healed)
                return healed
            best = failed.best
            if best is None and recorded is not None and candidates:
                best = await near_miss(frame_scope(self.page, self._replay.recorded.frame_path(step_id)), recorded)
            raise await self._diverge(
                step_id, failed.reason, locate_message(failed.reason, failed.outcomes), failed.outcomes, best
            )
        if not found:
            found.append(el)
        if self.options.enrich is not None and recorded is None and key == "fingerprint" and el.live:
            self.options.enrich.step(step_id).fingerprint = Fingerprint.model_validate(el.live)  # see runtime/_enrich.py
        return el

    async def _verify_fill(self, step_id: str, block: str | None, locator: Locator, text: str, value: Text) -> None:
        actual = await self._checks.read(locator, FIELD_VALUE)
        if actual != text:
            shown = "" if isinstance(value, SecretStr) else f": it holds {self.redact(str(actual))!r}, expected {text!r}"
            current, self.block_label = self.block_label, block
            try:
                raise await self._diverge(step_id, "postcondition_failed", f"the field did not keep the value{shown}")
            finally:
                self.block_label = current

    async def settle(self) -> None:
        """Wait for the check a step left running (a fill's read-back); raises its divergence, if any."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending

    def _discard_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.cancel()

    async def _heal(self, step_id: str, failed: LocateFailed, timeout: float | None) -> Located | None:
        """Ask the healer for a new target and verify it like any recorded one: no trust without a check."""
        if self._replay.options.healer is None:
            return None
        request = HealRequest(
            step_id, self.block_label, self._replay.recorded.intention(step_id), failed.reason, self.page,
            tuple(failed.outcomes), fingerprint=self._replay.fingerprint(step_id), variables=self.vars.as_dict(),
        )
        target = await self._replay.options.healer(request)
        if target is None:
            return None
        try:
            el = await locate(
                self.page,
                locators_for(self.page, target),
                target.fingerprint,
                timeout=self._replay.options.locate_timeout if timeout is None else timeout,
                min_score=self._replay.options.min_score,
            )
        except LocateFailed:
            return None
        # Verified against its own fingerprint above; against the recorded element and the intention here.
        if contradiction(self._replay.fingerprint(step_id), request.intention, el.live):
            return None
        self.healed[step_id] = target
        return el

    async def _act(self, step_id: str, action: Awaitable[Any]) -> Any:
        try:
            return await action
        except PlaywrightTimeoutError as exc:
            raise await self._diverge(step_id, "timeout", f"the action did not complete: {first_line(exc)}")
        except PlaywrightError as exc:
            raise await self._diverge(step_id, "action_failed", f"the action failed: {first_line(exc)}")


    async def _diverge(
        self,
        step_id: str,
        reason: Reason,
        message: str,
        outcomes: list[CandidateOutcome] | None = None,
        best: Locator | None = None,
    ) -> DivergenceError:
        return await diverge(self._replay, step_id, reason, message, outcomes, best)


async def _select_value_or_label(locator: Locator, text: str, timeout: float) -> list[str]:
    values = await locator.evaluate("el => Array.from(el.options).map(o => o.value)")
    if text in values:
        return await locator.select_option(value=text, timeout=timeout)
    return await locator.select_option(label=text, timeout=timeout)
