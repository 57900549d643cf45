"""`Steps`: what generated scripts call. Each method locates, verifies, acts, then checks what must hold."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import ElementHandle, Locator, Page
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from pydantic import BaseModel, SecretStr

from tracer import ElementState, FieldValue, Fingerprint, LiteralValue, ParamRef, Target

from ._act import Acts
from ._checks import Checks, EngineMissing, TextCheck, Watch, expected_text
from ._devtools import DevtoolsSteps
from ._divergence import diverge, first_line, locate_message
from ._engine import engine_missing, engine_ready, read_locator, verified_locator
from ._errors import CandidateOutcome, DivergenceError, Reason, TaskTerminated
from ._extract import FieldSpec, coerce, read_field, reader_for, validate
from ._files import download_path, upload_problem
from ._intent import contradiction
from ._locate import Located, LocateFailed, Mark, PageFlag, is_positional, locate, near_miss, page_flag
from ._locators import describe, frame_scope, locators_for
from ._options import HealRequest, Options
from ._origins import allowed_origins, origin_problem
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
        self._acts = Acts()
        self._engine: bool | None = None
        self.outputs: dict[str, Any] = {}
        self.downloads: dict[str, Path] = {}
        self.results: list[StepResult] = []
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
    # Each action goes through `_perform`: the element is verified inside the resolution Playwright does
    # for the action itself, or, when the first candidate does not settle it, found by the probes and
    # acted on as that very element (see runtime/_act.py). Either way a change in between diverges.

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
        async with self._step(step_id, "click", locates=True) as found, self._checks.watch(step_id) as watch:
            timeout = self._replay.options.action_timeout * 1000
            options = {"button": button, "click_count": click_count, "modifiers": list(modifiers) or None}
            if not opens_page:
                done = await self._perform(step_id, candidates, found, lambda el: el.click(**options, timeout=timeout))
                await self._postconditions(step_id, done, watch)
                return

            async def follow(el: Target_) -> Page:
                async with self.page.context.expect_page(timeout=timeout) as info:
                    await el.click(**options, timeout=timeout)
                opened = await info.value
                await opened.wait_for_load_state("load", timeout=self._replay.options.navigation_timeout * 1000)
                return opened

            done = await self._perform(step_id, candidates, found, follow)
            self.page = done.result
            await self._postconditions(step_id, done, watch, own=False)

    async def fill(self, step_id: str, candidates: list[Locator], value: Text) -> None:
        """Type `value` into the field that verifies, and check that it kept it."""
        async with self._step(step_id, "fill", locates=True) as found:
            text = plain(value)
            timeout = self._replay.options.action_timeout * 1000

            async def fill(el: Target_) -> str:
                if isinstance(value, SecretStr):
                    await self._check_secret_origin(step_id, el, timeout)
                if await _tag(el, self._replay.recorded.fingerprint(step_id)) == "select":
                    # Imported "change" steps fill whatever control they met: a list takes the option
                    # with that value, or failing that, with that label.
                    chosen = await _select_value_or_label(el, text, timeout)
                    return chosen[0] if chosen else text
                await el.fill(text, timeout=timeout)
                return text

            done = await self._perform(step_id, candidates, found, fill)
            kept = done.result
            # Whether the field kept the value is confirmed by the next call into the page, before that
            # step acts (it rides along in the same round trip); a secret is read back now instead, so
            # that it never travels in a selector. Outside a block nothing would come later.
            if isinstance(value, SecretStr) or self.block_label is None:
                actual = await self._checks.read_value(done.own)
                if actual != kept:
                    shown = "" if isinstance(value, SecretStr) else f": it holds {self.redact(str(actual))!r}, expected {kept!r}"
                    raise await self._diverge(step_id, "postcondition_failed", f"the field did not keep the value{shown}")
            else:
                self._acts.expect_value(done.frame, done.token, kept)
            await self._postconditions(step_id, done, None, own_value_checked=True)

    async def select_option(
        self, step_id: str, candidates: list[Locator], options: list[Text], *, by: Literal["value", "label"] = "label"
    ) -> None:
        """Choose options of the list that verifies; a missing option diverges."""
        async with self._step(step_id, "select_option", locates=True) as found:
            wanted = [plain(o) for o in options]
            kwargs: dict[str, Any] = {"value": wanted} if by == "value" else {"label": wanted}
            timeout = self._replay.options.action_timeout * 1000
            done = await self._perform(
                step_id,
                candidates,
                found,
                lambda el: el.select_option(**kwargs, timeout=timeout),
                check_options={"by": by, "want": wanted},
            )
            chosen = done.result
            # Playwright answers with what is now selected: a recorded "the list holds X" is settled by it
            # (by its label too, when the option was chosen by that label).
            held = chosen + wanted if by == "label" and len(chosen) == 1 else chosen
            await self._postconditions(step_id, done, None, own_value_checked=len(chosen) == 1, own_value=held)

    async def set_checked(self, step_id: str, candidates: list[Locator], checked: bool) -> None:
        """Check or uncheck the box that verifies."""
        async with self._step(step_id, "set_checked", locates=True) as found, self._checks.watch(step_id) as watch:
            timeout = self._replay.options.action_timeout * 1000
            done = await self._perform(step_id, candidates, found, lambda el: el.set_checked(checked, timeout=timeout))
            # set_checked fails unless the state changed, so the box's own checked state is already known.
            await self._postconditions(step_id, done, watch, own_state="checked" if checked else "unchecked")

    async def press(self, step_id: str, candidates: list[Locator] | None, key: str) -> None:
        """Press a key on the element that verifies, or on the page."""
        async with self._step(step_id, "press", locates=candidates is not None) as found, self._checks.watch(step_id) as watch:
            if candidates is None:
                await self._act(step_id, self.page.keyboard.press(key))
                await self._checks.postconditions(step_id, None, watch=watch)
                return
            timeout = self._replay.options.action_timeout * 1000
            done = await self._perform(step_id, candidates, found, lambda el: el.press(key, timeout=timeout))
            await self._postconditions(step_id, done, watch)

    async def hover(self, step_id: str, candidates: list[Locator]) -> None:
        """Hover the element that verifies."""
        async with self._step(step_id, "hover", locates=True) as found:
            timeout = self._replay.options.action_timeout * 1000
            done = await self._perform(step_id, candidates, found, lambda el: el.hover(timeout=timeout), arm=False)
            await self._postconditions(step_id, done, None)

    async def scroll(
        self, step_id: str, candidates: list[Locator] | None, *, delta_x: int = 0, delta_y: int = 0
    ) -> None:
        """Scroll the element that verifies into view, or the page by the deltas."""
        async with self._step(step_id, "scroll", locates=candidates is not None) as found:
            if candidates is None:
                await self._act(step_id, self.page.evaluate("([x, y]) => window.scrollBy(x, y)", [delta_x, delta_y]))
                return
            timeout = self._replay.options.action_timeout * 1000
            await self._perform(
                step_id, candidates, found, lambda el: el.scroll_into_view_if_needed(timeout=timeout), arm=False
            )

    async def upload_file(self, step_id: str, candidates: list[Locator], files: list[Text]) -> None:
        """Upload files through the input or button that verifies."""
        async with self._step(step_id, "upload_file", locates=True) as found:
            for file in files:
                problem = upload_problem(self._replay.options, file)
                if problem:
                    raise await self._diverge(step_id, "action_failed", problem)
            paths = [plain(f) for f in files]
            timeout = self._replay.options.action_timeout * 1000

            recorded = self._replay.recorded.fingerprint(step_id)
            file_input = recorded is not None and recorded.tag == "input" and recorded.attributes.get("type") == "file"

            async def upload(el: Target_) -> None:
                if file_input or await el.evaluate("el => el.tagName === 'INPUT' && el.type === 'file'"):
                    await el.set_input_files(paths, timeout=timeout)
                    return
                async with self.page.expect_file_chooser(timeout=timeout) as chooser:  # a button that opens it
                    await el.click(timeout=timeout)
                await (await chooser.value).set_files(paths)

            done = await self._perform(step_id, candidates, found, upload)
            await self._postconditions(step_id, done, None)

    async def download(self, step_id: str, candidates: list[Locator], *, save_as: Text | None = None) -> Path:
        """Click the element that verifies and save the download; returns its path."""
        async with self._step(step_id, "download", locates=True) as found:
            timeout = self._replay.options.action_timeout * 1000

            async def fetch(el: Target_) -> Path:
                async with self.page.expect_download(timeout=timeout) as info:
                    await el.click(timeout=timeout)
                download = await info.value
                name = plain(save_as) if save_as is not None else None
                path = download_path(self._replay.options, name, download.suggested_filename)
                path.parent.mkdir(parents=True, exist_ok=True)
                await download.save_as(path)
                return path

            done = await self._perform(step_id, candidates, found, fetch)
            self.downloads[step_id] = done.result
            return done.result

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
        await self._expect(step_id, candidates, expected_text(text, exact))

    async def expect_value(self, step_id: str, candidates: list[Locator], value: Text) -> None:
        """The field that verifies holds `value`, else diverge."""
        secret = isinstance(value, SecretStr)
        await self._expect(step_id, candidates, FieldValue(value=LiteralValue(value=plain(value))), secret=secret)

    async def expect_state(
        self,
        step_id: str,
        candidates: list[Locator],
        state: Literal["visible", "hidden", "checked", "unchecked", "enabled", "disabled"],
    ) -> None:
        """The element that verifies is in `state`, else diverge."""
        await self._expect(step_id, candidates, ElementState(state=state))

    async def _expect(self, step_id: str, candidates: list[Locator], condition: Any, *, secret: bool = False) -> None:
        """An assertion: settled in one round trip when the first candidate verifies and it holds; else the
        element is probed for and the condition waited for, as a post-condition is."""
        async with self._step(step_id, "assert", locates=True) as found:
            frame = self._replay.recorded.frame_path(step_id)
            await self._settle(exclude=frame)
            recorded = self._replay.fingerprint(step_id)
            fast = None
            if recorded is not None and await self._engine_ready():
                pending = self._acts.take_pending(frame)
                try:
                    fast = await self._checks.verified(
                        candidates, frame_scope(self.page, frame), recorded, condition, nonce=self._acts.nonce, pending=pending
                    )
                except PageFlag as flag:
                    raise await self._flag_divergence(flag) from None
                except EngineMissing:
                    self._acts.restore(frame, pending)
            if fast is not None:
                found.append(Located(fast[1], 0, describe(candidates[0]), None, {}, []))
                return
            el = await self._locate(step_id, candidates, found)
            seen = None
            if isinstance(condition, TextCheck):
                # The probe already read the element's text (capped at 200 characters).
                live = el.live.get("text") or ""
                seen = live if len(live) < 200 else None
            await self._checks.expect(step_id, condition, el.locator, secret=secret, seen=seen)

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
            await self.settle()  # a step that finds an element settles earlier steps in the same trip
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

    async def _perform(
        self,
        step_id: str,
        candidates: list[Locator],
        found: list[Located],
        action: Callable[[Target_], Awaitable[Any]],
        *,
        arm: bool = True,
        check_options: dict[str, Any] | None = None,
    ) -> _Done:
        """Verify the step's element and act on exactly it; see runtime/_act.py."""
        options = self._replay.options
        frame = self._replay.recorded.frame_path(step_id)
        scope = frame_scope(self.page, frame)
        recorded = self._replay.fingerprint(step_id)
        token = self._acts.token(step_id)
        await self._settle(exclude=frame)
        # The engine is registered once per Playwright instance; a document whose scripts were set up
        # before that (a page used before the first replay) lacks it until it navigates.
        engine = await self._engine_ready()
        loop = asyncio.get_running_loop()
        started = loop.time()
        if engine and recorded is not None:
            # The common case costs no round trip of its own: the first candidate, verified as Playwright
            # resolves it for the action. Anything else (a miss, a mismatch, several verified elements)
            # is thrown before anything is done, and the probes below decide.
            first = candidates[0]
            selector = describe(first)
            pending = self._acts.take_pending(frame)
            verified = verified_locator(
                first, scope, self._acts.nonce, token, recorded, options.min_score,
                positional=is_positional(selector), arm=arm, pending=pending, options=check_options,
            )
            try:
                result = await action(verified)
            except PlaywrightError as exc:
                if engine_missing(exc):
                    engine = False
                    self._acts.restore(frame, pending)
                elif not _unresolved(exc):
                    raise await self._failed(step_id, exc, frame) from None
            else:
                return self._done(result, found, Located(read_locator(scope, token), 0, selector, None, {}, []), token, frame, arm)
        # The probes read every candidate; the one chosen is then verified again as the action resolves
        # it (with the engine), or taken by the tag the probe left on it (without).
        spent = loop.time() - started
        located = await self._locate(
            step_id, candidates, found, timeout=max(options.locate_timeout - spent, 0.0),
            mark=await self._mark(frame, token, engine), settle=True, spent=spent,
        )
        healed = self.healed.get(step_id)
        if healed is not None:
            recorded, frame = healed.fingerprint, healed.frame_path
            scope, candidates = frame_scope(self.page, frame), locators_for(self.page, healed, self._replay.param_values, self.vars.as_dict())
        try:
            if engine:
                token = self._acts.token(step_id)  # a fresh resolution: the first attempt's passes do not count
                chosen = candidates[located.index]
                target: Target_ = verified_locator(
                    chosen, scope, self._acts.nonce, token, recorded, options.min_score,
                    positional=is_positional(describe(chosen)), arm=arm, pending=[], options=check_options,
                )
                try:
                    result = await action(target)
                except PlaywrightError as exc:
                    if _unresolved(exc):
                        raise await self._changed(step_id, exc, candidates, recorded) from None
                    if not engine_missing(exc):
                        raise
                    engine = False  # this document predates the engine: find and tag it again, in the page
                    located = await self._locate(step_id, candidates, [], mark=await self._mark(frame, token, False))
            if not engine:
                token = located.token or token  # the probe tagged the element under its candidate's token
                target = await self._acts.handle(scope, token, recorded, options.min_score, arm=arm)
                result = await action(target)
        except PlaywrightError as exc:
            raise await self._failed(step_id, exc, frame) from None
        own = read_locator(scope, token) if engine else target
        return self._done(result, found, None, token, frame, arm, own=own)

    def _done(
        self, result: Any, found: list[Located], el: Located | None, token: str, frame: tuple[str, ...], arm: bool,
        own: Target_ | None = None,
    ) -> _Done:
        if arm:
            self._acts.guarded(frame, self.page.url)
        if el is not None and not found:
            found.append(el)
        return _Done(result, own if own is not None else found[0].locator, token, frame)

    async def _mark(self, frame: tuple[str, ...], token: str | None, engine: bool) -> Mark:
        """What a step's probes carry. With the engine, what earlier steps left lives in its isolated world,
        so it is confirmed through it first and the probes only read; without, the probes confirm it and
        tag the element chosen."""
        if not engine:
            return Mark(self._acts.nonce, token, tuple(self._acts.take_pending(frame)))
        if frame in self._acts.unsettled(self.page.url):
            await self._settle(only=frame)
        return Mark(nonce="")

    async def _changed(
        self, step_id: str, exc: PlaywrightError, candidates: list[Locator], recorded: Any
    ) -> DivergenceError:
        """The element the probes verified no longer verifies as the action resolves it: nothing was done.

        One more look at the candidates tells why (renamed, gone, doubled) for the report.
        """
        message = str(exc)
        why = message.split("encore:", 1)[1].strip().splitlines()[0] if "encore:" in message else "several match"
        lead = "the page changed the element between its check and the action"
        try:
            await locate(self.page, candidates, recorded, timeout=0, min_score=self._replay.options.min_score)
        except LocateFailed as failed:
            return await self._diverge(
                step_id, failed.reason, f"{lead}: {locate_message(failed.reason, failed.outcomes)}", failed.outcomes
            )
        except PageFlag as flag:
            return await self._flag_divergence(flag)
        reason: Reason = "ambiguous" if why.startswith("ambiguous") or "strict mode" in message else "fingerprint_mismatch"
        return await self._diverge(step_id, reason, f"{lead} ({why[:200]})")

    async def _postconditions(
        self, step_id: str, done: _Done, watch: Watch | None, *, own: bool = True, **settled: Any
    ) -> None:
        """The recorded post-conditions; when one fails, a guard that blocked the action is the real story."""
        try:
            await self._checks.postconditions(step_id, done.own if own else None, watch=watch, **settled)
        except DivergenceError:
            await self._settle(only=done.frame)
            raise

    async def _engine_ready(self) -> bool:
        if self._engine is None:
            self._engine = await engine_ready(self.page)
        return self._engine

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
        mark: Mark | None = None,
        settle: bool | None = None,
        spent: float = 0.0,
    ) -> Located:
        """`spent`: what the step already spent looking (its first attempt), counted in its settle wait too."""
        recorded = self._replay.fingerprint(step_id, key)
        frame = self._replay.recorded.frame_path(step_id)
        if mark is None:
            await self._settle(exclude=frame)
            mark = await self._mark(frame, None, await self._engine_ready())
        try:
            el = await locate(
                self.page,
                candidates,
                recorded,
                timeout=self._replay.options.locate_timeout if timeout is None else timeout,
                min_score=self._replay.options.min_score,
                many=many,
                reader=reader,
                mark=mark,
                # A slow page is waited for (issue 12) unless the caller set its own time limit.
                settle=self._replay.settle_wait(step_id, spent) if (timeout is None if settle is None else settle) else None,
            )
        except PageFlag as flag:
            raise await self._flag_divergence(flag) from None
        except LocateFailed as failed:
            healed = None
            if not many and key == "fingerprint":
                healed = await self._heal(step_id, failed, timeout, mark.token)
            if healed is not None:
                if not found:
                    found.append(healed)
                return healed
            find_excerpt = None
            if failed.best is None and recorded is not None and candidates:
                scope, fingerprint = frame_scope(self.page, frame), recorded

                async def find_excerpt() -> str | None:
                    found = await near_miss(scope, fingerprint)
                    return found.excerpt if found is not None else None

            raise await diverge(
                self._replay, step_id, failed.reason, locate_message(failed.reason, failed.outcomes),
                failed.outcomes, failed.best, find_excerpt=find_excerpt,
            ) from None
        if not found:
            found.append(el)
        if self.options.enrich is not None and recorded is None and key == "fingerprint" and el.live:
            self.options.enrich.step(step_id).fingerprint = Fingerprint.model_validate(el.live)  # see runtime/_enrich.py
        return el

    async def settle(self) -> None:
        """Confirm what earlier steps left for the page to confirm; raises the divergence it reports."""
        await self._settle()

    async def _settle(self, *, exclude: tuple[str, ...] | None = None, only: tuple[str, ...] | None = None) -> None:
        frames = self._acts.unsettled(self.page.url)
        if only is not None:
            frames &= {only}
        if exclude is not None:
            frames.discard(exclude)
        engine = bool(frames) and await self._engine_ready()
        for frame in sorted(frames):
            try:
                await self._acts.settle(frame_scope(self.page, frame), frame, engine=engine)
            except PageFlag as flag:
                raise await self._flag_divergence(flag) from None

    async def _check_secret_origin(self, step_id: str, el: Target_, timeout: float) -> None:
        """Diverge before a secret is typed into a frame of an origin it was not recorded on (see _origins.py).

        The element is resolved as the action will resolve it (verified); the frame's URL comes from the
        browser, not from the page's scripts.
        """
        if not allowed_origins(self._replay, step_id):
            return
        if not self._replay.recorded.frame_path(step_id):
            # The field is in the top document (frames are reached only through the frame path): its URL
            # is the one Playwright follows for the main frame, known without a round trip.
            frame_url: str | None = self.page.main_frame.url
        else:
            handle = el if isinstance(el, ElementHandle) else await el.element_handle(timeout=timeout)
            frame = await handle.owner_frame()
            frame_url = frame.url if frame is not None else None
        problem = origin_problem(self._replay, step_id, frame_url)
        if problem:
            raise await self._diverge(step_id, "secret_origin", problem)

    async def _flag_divergence(self, flag: PageFlag) -> DivergenceError:
        """The divergence of the earlier step the page reports on."""
        step_id = Acts.step_of(flag.token)
        if flag.kind == "blocked":
            return await self._diverge(
                step_id,
                "fingerprint_mismatch",
                f"the element changed between its check and the action, so the action was blocked: {flag.detail}",
            )
        expected = self._acts.expected(flag.token)
        return await self._diverge(
            step_id,
            "postcondition_failed",
            f"the field did not keep the value: it holds {self.redact(str(flag.detail))!r}, expected {expected!r}",
        )

    async def _heal(self, step_id: str, failed: LocateFailed, timeout: float | None, token: str | None) -> Located | None:
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
                locators_for(self.page, target, self._replay.param_values, self.vars.as_dict()),
                target.fingerprint,
                timeout=self._replay.options.locate_timeout if timeout is None else timeout,
                min_score=self._replay.options.min_score,
                mark=Mark(self._acts.nonce, token),
            )
        except (LocateFailed, PageFlag):
            return None
        # Verified against its own fingerprint above; against the recorded element and the intention here.
        if contradiction(self._replay.fingerprint(step_id), request.intention, el.live):
            return None
        self.healed[step_id] = target
        return el

    async def _act(self, step_id: str, action: Awaitable[Any]) -> Any:
        try:
            return await action
        except PlaywrightError as exc:
            raise await self._failed(step_id, exc, ()) from None

    async def _failed(self, step_id: str, exc: PlaywrightError, frame: tuple[str, ...]) -> DivergenceError:
        """The divergence a failed action means; a guard that blocked it, or an earlier step's flag, first."""
        flag = page_flag(exc)
        if flag is not None:
            return await self._flag_divergence(flag)
        message = str(exc)
        if "encore:changed:" in message:
            why = message.split("encore:changed:", 1)[1].strip().splitlines()[0]
            return await self._diverge(
                step_id, "fingerprint_mismatch", f"the element changed between its check and the action: {why}"
            )
        if "encore:option:" in message:
            option = message.split("encore:option:", 1)[1].strip().splitlines()[0]
            return await self._diverge(step_id, "element_missing", f"the list offers no option {option}")
        await self._settle(only=frame)
        if isinstance(exc, PlaywrightTimeoutError):
            cover = next((line.strip() for line in message.splitlines() if "intercepts pointer events" in line), None)
            if cover is not None:
                return await self._diverge(step_id, "action_failed", f"another element covers it: {cover[:300]}")
            return await self._diverge(step_id, "timeout", f"the action did not complete: {first_line(exc)}")
        return await self._diverge(step_id, "action_failed", f"the action failed: {first_line(exc)}")

    async def _diverge(
        self,
        step_id: str,
        reason: Reason,
        message: str,
        outcomes: list[CandidateOutcome] | None = None,
        best: Locator | None = None,
    ) -> DivergenceError:
        return await diverge(self._replay, step_id, reason, message, outcomes, best)


Target_ = Locator | ElementHandle


@dataclass(frozen=True)
class _Done:
    """An action that went through: its result, the element it acted on (to check it), its token and frame."""

    result: Any
    own: Target_
    token: str
    frame: tuple[str, ...]


def _unresolved(exc: PlaywrightError) -> bool:
    """The first candidate did not settle the element, and nothing was done to the page."""
    message = str(exc)
    if page_flag(exc) is not None or "encore:option:" in message:
        return False
    return "encore:" in message or "strict mode violation" in message


async def _tag(el: Target_, recorded: Any) -> str:
    if recorded is not None:
        return str(recorded.tag)
    return str(await el.evaluate("el => el.tagName.toLowerCase()"))


async def _select_value_or_label(locator: Target_, text: str, timeout: float) -> list[str]:
    values = await locator.evaluate("el => Array.from(el.options).map(o => o.value)")
    if text in values:
        return await locator.select_option(value=text, timeout=timeout)
    return await locator.select_option(label=text, timeout=timeout)
