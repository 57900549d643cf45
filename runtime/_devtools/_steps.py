"""`steps.devtools`: imported DevTools Recorder steps replayed as @puppeteer/replay's runner replays them.

Each method is one step type. The step's page and frame are found first (a popup or out-of-process frame
by URL, then child frames by index), then its element by racing the selectors, then the element is waited
for the way a Puppeteer locator waits (in the viewport, not moving, enabled), then the input is sent as
Puppeteer sends it. Where Encore can tell the replay would not do what was recorded (an element covered
by another, a list without the option, a fingerprint that no longer matches, a navigation to another
path) it diverges instead of acting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from playwright.async_api import CDPSession, ElementHandle, Page
from playwright.async_api import Error as PlaywrightError
from pydantic import SecretStr

from tracer import (
    ElementState,
    FieldValue,
    Fingerprint,
    LiteralValue,
    UrlMatches,
    page_script,
    record_target,
    url_pattern,
)

from .._checks import FIELD_VALUE
from .._divergence import diverge, first_line
from .._errors import CandidateOutcome, DivergenceError, Reason
from .._origins import origin_problem
from .._results import StepResult
from .._score import score
from .._values import Text, plain
from ._aria import AriaQueries
from ._emulation import network_conditions, viewport_override
from ._fill import CHECKED, OFFERS, SELECT, TYPING_THRESHOLD, input_kind, set_directly, typed_remainder
from ._handle import HandleAsLocator
from ._navigation import NavigationWatch, same_path
from ._pages import Place, StepPlace, find_place
from ._pointer import MODIFIER_BITS, Mouse, aim, ready
from ._query import Probe, count_matches, describe_selector, probe

if TYPE_CHECKING:
    from .._steps import Steps

__all__ = ["DevtoolsSteps"]

Selectors = Sequence[Sequence[str]]
Button = Literal["primary", "auxiliary", "secondary", "back", "forward"]
KEY_PAUSE = 0.1
"""@puppeteer/replay waits this long after every keyDown and keyUp."""
_LOST = {"missing": "element_missing", "ambiguous": "ambiguous", "error": "element_missing", "not_element": "element_missing"}


@dataclass
class _Run:
    """One step while it runs: its deadline, and what the report says about its element."""

    deadline: float
    timeout: float
    """Seconds: what the element wait and, from the action on, the asserted navigation may take."""
    index: int | None = None
    selector: str | None = None
    score: float | None = None


class DevtoolsSteps:
    """The DevTools step types of one replay; reached as `steps.devtools`."""

    def __init__(self, steps: Steps) -> None:
        self._steps = steps
        self._sessions: dict[Page, CDPSession] = {}
        self._mice: dict[Page, Mouse] = {}
        self._held: set[str] = set()
        self._emulated: dict[Page, tuple[bool, bool]] = {}
        self._aria = AriaQueries()

    @property
    def _replay(self) -> Any:
        return self._steps._replay

    # --- pointer steps ----------------------------------------------------------

    async def click(
        self,
        step_id: str,
        selectors: Selectors,
        *,
        offset: tuple[float, float] | None = None,
        count: int = 1,
        button: Button = "primary",
        duration_ms: float | None = None,
        frame: Sequence[int] = (),
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        async with self._step(step_id, "click" if count == 1 else "double_click", timeout_ms) as run:
            place, element, point = await self._pointer_target(step_id, run, selectors, frame, page_url, offset, enabled=True)
            watch = self._watch(place, navigation)
            before, appeared = self._replay.page.url, await self._watch_appearing(step_id, place)
            try:
                mouse = await self._mouse(place.page)
                await mouse.click(*point, button=button, count=count, delay_ms=duration_ms, modifiers=self._modifiers(place.page))
            except PlaywrightError as exc:
                raise await self._fail(step_id, "action_failed", f"the click failed: {first_line(exc)}", watch)
            await self._after(step_id, run, place, watch, navigation, element)
            await self._enrich_pointer(step_id, place, before, appeared)

    async def hover(
        self,
        step_id: str,
        selectors: Selectors,
        *,
        frame: Sequence[int] = (),
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        async with self._step(step_id, "hover", timeout_ms) as run:
            place, element, point = await self._pointer_target(step_id, run, selectors, frame, page_url, None, enabled=False)
            watch = self._watch(place, navigation)
            try:
                await (await self._mouse(place.page)).move(*point, self._modifiers(place.page))
            except PlaywrightError as exc:
                raise await self._fail(step_id, "action_failed", f"the hover failed: {first_line(exc)}", watch)
            await self._after(step_id, run, place, watch, navigation, element)

    async def scroll(
        self,
        step_id: str,
        selectors: Selectors | None,
        *,
        x: float = 0,
        y: float = 0,
        frame: Sequence[int] = (),
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        """An element's scrollLeft/scrollTop, or the frame's window, set to the recorded position."""
        async with self._step(step_id, "scroll", timeout_ms) as run:
            if selectors is None:
                place = await self._place(step_id, run, page_url, frame)
                watch = self._watch(place, navigation)
                await self._act(step_id, place.frame.evaluate("([x, y]) => window.scroll(x, y)", [x, y]), watch)
                await self._after(step_id, run, place, watch, navigation, None)
                return
            place, element = await self._element(step_id, run, selectors, frame, page_url, enabled=False)
            watch = self._watch(place, navigation)
            script = "(el, [x, y]) => { el.scrollTop = y; el.scrollLeft = x; }"
            await self._act(step_id, element.evaluate(script, [x, y]), watch)
            await self._after(step_id, run, place, watch, navigation, element)

    # --- typing ---------------------------------------------------------------------

    async def change(
        self,
        step_id: str,
        selectors: Selectors,
        value: Text,
        *,
        frame: Sequence[int] = (),
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        async with self._step(step_id, "change", timeout_ms) as run:
            place, element = await self._element(step_id, run, selectors, frame, page_url, enabled=True)
            if isinstance(value, SecretStr):  # a secret is typed only on the origins it was recorded on
                owner = await self._act(step_id, element.owner_frame(), None)
                problem = origin_problem(self._replay, step_id, owner.url if owner is not None else None)
                if problem:
                    raise await self._fail(step_id, "secret_origin", problem, None)
            text = plain(value)
            watch = self._watch(place, navigation)
            kind = await self._act(step_id, input_kind(element), watch)
            if kind == "select":
                if not await self._act(step_id, element.evaluate(OFFERS, text), watch):
                    shown = "the value" if self._replay.redact(text) != text else repr(text)
                    raise await self._fail(step_id, "element_missing", f"the list offers no option with {shown}", watch)
                await self._act(step_id, element.evaluate(SELECT, text), watch)
            elif kind == "checkable-input":
                state = await self._act(step_id, element.evaluate(CHECKED), watch)
                if state == "mixed" or state != bool(text):
                    await self._act(step_id, self._click_centre(place, element), watch)
            elif kind in ("typeable-input", "contenteditable") and len(text) < TYPING_THRESHOLD:
                await self._act(step_id, typed_remainder(element, place.page.keyboard, text), watch)
            elif kind in ("typeable-input", "contenteditable", "other-input"):
                await self._act(step_id, set_directly(element, text), watch)
            else:
                raise await self._fail(step_id, "action_failed", "the element cannot be filled in (not a field, list,"
                                       " checkbox or contenteditable)", watch)
            await self._after(step_id, run, place, watch, navigation, element)
            await self._enrich_change(step_id, place, element, kind, text)

    async def key_down(
        self, step_id: str, key: str, *, page_url: str | None = None, timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        await self._key(step_id, key, "down", page_url, timeout_ms, navigation)

    async def key_up(
        self, step_id: str, key: str, *, page_url: str | None = None, timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        await self._key(step_id, key, "up", page_url, timeout_ms, navigation)

    async def _key(
        self, step_id: str, key: str, event: str, page_url: str | None, timeout_ms: int, navigation: str | bool | None
    ) -> None:
        async with self._step(step_id, f"key_{event}", timeout_ms) as run:
            place = await self._place(step_id, run, page_url, ())
            watch = self._watch(place, navigation)
            main = self._replay.page  # the runner types on the main page whatever the step's target
            before = main.url
            keyboard = main.keyboard
            await self._act(step_id, keyboard.down(key) if event == "down" else keyboard.up(key), watch)
            if key in MODIFIER_BITS:
                (self._held.add if event == "down" else self._held.discard)(key)
            await asyncio.sleep(KEY_PAUSE)
            await self._after(step_id, run, place, watch, navigation, None)
            self._enrich_url(step_id, place, before)

    # --- waiting ----------------------------------------------------------------------

    async def wait_for_element(
        self,
        step_id: str,
        selectors: Selectors,
        *,
        count: int = 1,
        operator: Literal[">=", "==", "<="] = ">=",
        visible: bool = True,
        properties: dict[str, Any] | None = None,
        attributes: dict[str, str] | None = None,
        frame: Sequence[int] = (),
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        async with self._step(step_id, "wait_for_element", timeout_ms) as run:
            place = await self._place(step_id, run, page_url, frame)
            watch = self._watch(place, navigation)
            wanted = [list(parts) for parts in selectors]
            matches = 0
            while True:
                place = await self._place(step_id, run, page_url, frame)
                try:
                    state = await count_matches(place.frame, wanted, self._aria, count=count, operator=operator, visible=visible,
                                                properties=properties, attributes=attributes)
                except PlaywrightError as exc:
                    if "Execution context was destroyed" not in str(exc) and "detached" not in str(exc):
                        raise await self._fail(step_id, "action_failed", f"a selector failed: {first_line(exc)}", watch)
                    state = {"holds": False, "matches": matches}
                matches = state["matches"]
                if state["holds"]:
                    break
                if asyncio.get_running_loop().time() >= run.deadline:
                    condition = f"{operator} {count}" + (" with the recorded properties/attributes" if properties or attributes else "")
                    lead = "never held" if visible else "never stopped holding"
                    raise await self._fail(step_id, "timeout", f"'{condition}' {lead}: the first selector that"
                                           f" matches finds {matches} element(s)", watch)
                await asyncio.sleep(0.1)
            await self._after(step_id, run, place, watch, navigation, None)

    async def wait_for_expression(
        self,
        step_id: str,
        expression: str,
        *,
        frame: Sequence[int] = (),
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        async with self._step(step_id, "wait_for_expression", timeout_ms) as run:
            place = await self._place(step_id, run, page_url, frame)
            watch = self._watch(place, navigation)
            remaining = max(1.0, (run.deadline - asyncio.get_running_loop().time()) * 1000)
            try:
                await place.frame.wait_for_function(expression, timeout=remaining)
            except PlaywrightError as exc:
                timed_out = "Timeout" in type(exc).__name__ or "Timeout" in str(exc)
                reason: Reason = "timeout" if timed_out else "action_failed"
                message = "the page expression never became true" if timed_out else f"the page expression failed: {first_line(exc)}"
                raise await self._fail(step_id, reason, message, watch)
            await self._after(step_id, run, place, watch, navigation, None)

    # --- pages ------------------------------------------------------------------------

    async def navigate(
        self, step_id: str, url: str, *, page_url: str | None = None, timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        async with self._step(step_id, "navigate", timeout_ms) as run:
            place = await self._place(step_id, run, page_url, ())
            address = self._replay.url(str(url))
            watch = self._watch(place, navigation)
            wait = max(self._replay.options.navigation_timeout, timeout_ms / 1000) * 1000
            try:
                response = await place.frame.goto(address, wait_until="load", timeout=wait)
            except PlaywrightError as exc:
                raise await self._fail(step_id, "navigation_failed", f"cannot open {address}: {first_line(exc)}", watch)
            if response is not None and response.status >= 400:
                raise await self._fail(step_id, "navigation_failed", f"{address} answered HTTP {response.status}", watch)
            await self._after(step_id, run, place, watch, navigation, None)

    async def set_viewport(
        self,
        step_id: str,
        width: int,
        height: int,
        *,
        device_scale_factor: float = 1,
        is_mobile: bool = False,
        has_touch: bool = False,
        is_landscape: bool = False,
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        """Emulates the device as Puppeteer's page.setViewport does, reloading when mobile or touch changes."""
        async with self._step(step_id, "set_viewport", timeout_ms) as run:
            place = await self._place(step_id, run, page_url, ())
            watch = self._watch(place, navigation)
            session = await self._session(place.page)
            metrics = viewport_override(width, height, device_scale_factor, is_mobile, is_landscape)

            async def emulate() -> None:
                await session.send("Emulation.setDeviceMetricsOverride", metrics)
                await session.send("Emulation.setTouchEmulationEnabled", {"enabled": has_touch})
                if self._emulated.get(place.page, (False, False)) != (is_mobile, has_touch):
                    self._emulated[place.page] = (is_mobile, has_touch)
                    await place.page.reload(wait_until="load")

            await self._act(step_id, emulate(), watch)
            await self._after(step_id, run, place, watch, navigation, None)

    async def close(
        self, step_id: str, *, page_url: str | None = None, timeout_ms: int = 5000, navigation: str | bool | None = None
    ) -> None:
        async with self._step(step_id, "close", timeout_ms) as run:
            place = await self._place(step_id, run, page_url, ())
            await self._act(step_id, place.page.close(), None)
            self._sessions.pop(place.page, None)
            self._mice.pop(place.page, None)

    async def emulate_network(
        self,
        step_id: str,
        *,
        download: float,
        upload: float,
        latency: float,
        page_url: str | None = None,
        timeout_ms: int = 5000,
        navigation: str | bool | None = None,
    ) -> None:
        async with self._step(step_id, "emulate_network", timeout_ms) as run:
            place = await self._place(step_id, run, page_url, ())
            watch = self._watch(place, navigation)
            session = await self._session(self._replay.page)  # the runner sets them on the main page
            await self._act(step_id, network_conditions(session, download, upload, latency), watch)
            await self._after(step_id, run, place, watch, navigation, None)

    # --- machinery ----------------------------------------------------------------------

    @asynccontextmanager
    async def _step(self, step_id: str, action: str, timeout_ms: int) -> AsyncIterator[_Run]:
        await self._steps.settle()
        start = time.perf_counter()
        run = _Run(deadline=asyncio.get_running_loop().time() + timeout_ms / 1000, timeout=timeout_ms / 1000)
        yield run
        result = StepResult(
            block=self._steps.block_label,
            step_id=step_id,
            action=f"devtools_{action}",
            intention=self._replay.recorded.intention(step_id),
            seconds=round(time.perf_counter() - start, 4),
            candidate_index=run.index,
            selector=run.selector,
            score=run.score,
        )
        self._steps.results.append(result)
        if self._replay.options.on_step is not None:
            self._replay.options.on_step(result)

    async def _place(self, step_id: str, run: _Run, page_url: str | None, frame: Sequence[int]) -> Place:
        url = self._replay.url(page_url) if page_url is not None else None
        try:
            return await find_place(self._replay.page, url, tuple(frame), run.deadline)
        except StepPlace as missing:
            raise await self._diverge(step_id, "timeout", str(missing))

    async def _element(
        self,
        step_id: str,
        run: _Run,
        selectors: Selectors,
        frame: Sequence[int],
        page_url: str | None,
        *,
        enabled: bool,
        prepare: Callable[[Place, ElementHandle], Awaitable[str | None]] | None = None,
    ) -> tuple[Place, ElementHandle]:
        """The element the race gives, once it is in the viewport, still, (enabled) and `prepare` agrees."""
        wanted = [list(parts) for parts in selectors]
        recorded = self._replay.recorded.fingerprint(step_id)
        loop = asyncio.get_running_loop()
        delay = 0.02
        last: tuple[Reason, str, list[CandidateOutcome]] = ("element_missing", "no selector found an element", [])
        while True:
            place = await self._place(step_id, run, page_url, frame)
            found = await probe(place.frame, wanted, self._aria)
            if found.status == "ok" and found.element is not None:
                value = score(recorded, found.live) if recorded is not None else None
                if value is not None and value < self._replay.options.min_score:
                    last = ("fingerprint_mismatch", f"the element found does not look like the recorded one (score {value})",
                            found.outcomes)
                else:
                    problem = await self._ready(found.element, enabled)
                    if problem is None and prepare is not None:
                        problem = await self._prepare(prepare, place, found.element)
                    if problem is None:
                        self._note(run, found, wanted, value)
                        if self._replay.options.enrich is not None and recorded is None and found.live:
                            self._replay.options.enrich.step(step_id).fingerprint = Fingerprint.model_validate(found.live)
                        return place, found.element
                    last = ("timeout", problem, found.outcomes)
            else:
                last = _lost(found)
            if loop.time() >= run.deadline:
                raise await self._diverge(step_id, last[0], last[1], last[2])
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.1)

    async def _ready(self, element: ElementHandle, enabled: bool) -> str | None:
        try:
            state = await ready(element, enabled=enabled)
        except PlaywrightError as exc:
            return f"the element went away ({first_line(exc)})"
        return None if state == "ok" else f"the element stayed {state}"

    async def _prepare(
        self, prepare: Callable[[Place, ElementHandle], Awaitable[str | None]], place: Place, element: ElementHandle
    ) -> str | None:
        try:
            return await prepare(place, element)
        except (PlaywrightError, ValueError) as exc:
            return first_line(exc)

    async def _pointer_target(
        self,
        step_id: str,
        run: _Run,
        selectors: Selectors,
        frame: Sequence[int],
        page_url: str | None,
        offset: tuple[float, float] | None,
        *,
        enabled: bool,
    ) -> tuple[Place, ElementHandle, tuple[float, float]]:
        point: list[tuple[float, float]] = []

        async def point_at(place: Place, element: ElementHandle) -> str | None:
            x, y, other = await aim(element, place.frame, offset)
            if other is not None:
                return f"{other} would receive the pointer at the recorded point, not the element"
            point[:] = [(x, y)]
            return None

        place, element = await self._element(step_id, run, selectors, frame, page_url, enabled=enabled, prepare=point_at)
        return place, element, point[0]

    async def _click_centre(self, place: Place, element: ElementHandle) -> None:
        x, y, _ = await aim(element, place.frame, None)
        mouse = await self._mouse(place.page)
        await mouse.click(x, y, button="primary", count=1, delay_ms=None, modifiers=self._modifiers(place.page))

    def _note(self, run: _Run, found: Probe, wanted: list[list[str]], value: float | None) -> None:
        run.index = found.winner
        if found.winner is not None:
            run.selector = describe_selector(wanted[found.winner]) + (" (another selector finds another element)"
                                                                      if found.disagree else "")
        run.score = value

    def _watch(self, place: Place, navigation: str | bool | None) -> NavigationWatch | None:
        return NavigationWatch(place.frame) if navigation else None

    async def _act(self, step_id: str, action: Awaitable[Any], watch: NavigationWatch | None) -> Any:
        try:
            return await action
        except PlaywrightError as exc:
            raise await self._fail(step_id, "action_failed", f"the action failed: {first_line(exc)}", watch)

    async def _after(
        self,
        step_id: str,
        run: _Run,
        place: Place,
        watch: NavigationWatch | None,
        navigation: str | bool | None,
        element: ElementHandle | None,
    ) -> None:
        """The asserted navigation, then what the recorded post-conditions say must hold."""
        if watch is not None:
            problem = await watch.wait(watch.started + run.timeout)
            watch.close()
            if problem is not None:
                raise await self._diverge(step_id, "timeout", problem)
            if isinstance(navigation, str) and not same_path(place.frame.url, self._replay.url(navigation)):
                raise await self._diverge(step_id, "unexpected_url", f"the step navigated to {place.frame.url!r},"
                                          f" the recording to {self._replay.url(navigation)!r}")
        if self._on_main(place):
            own = HandleAsLocator(element) if element is not None else None
            await self._steps._checks.postconditions(step_id, own)  # type: ignore[arg-type]

    async def _fail(self, step_id: str, reason: Reason, message: str, watch: NavigationWatch | None) -> DivergenceError:
        if watch is not None:
            watch.close()
        return await self._diverge(step_id, reason, message)

    async def _diverge(
        self, step_id: str, reason: Reason, message: str, outcomes: list[CandidateOutcome] | None = None
    ) -> DivergenceError:
        return await diverge(self._replay, step_id, reason, message, outcomes)

    def _on_main(self, place: Place) -> bool:
        return place.page == self._replay.page and place.frame == place.page.main_frame

    def _modifiers(self, page: Page) -> int:
        if page != self._replay.page:
            return 0
        return sum(MODIFIER_BITS[key] for key in self._held)

    async def _session(self, page: Page) -> CDPSession:
        if page not in self._sessions:
            self._sessions[page] = await page.context.new_cdp_session(page)
        return self._sessions[page]

    async def _mouse(self, page: Page) -> Mouse:
        if page not in self._mice:
            self._mice[page] = Mouse(await self._session(page))
        return self._mice[page]

    # --- enrichment: what the recorder would have kept --------------------------------------

    async def _watch_appearing(self, step_id: str, place: Place) -> bool:
        if not self._enriching(step_id) or not self._on_main(place):
            return False
        try:
            await place.frame.evaluate(f"() => ({page_script('watch')}).start()")
        except PlaywrightError:
            return False
        return True

    def _enriching(self, step_id: str) -> bool:
        enrich = self._replay.options.enrich
        return enrich is not None and not self._replay.recorded.postconditions(step_id)

    def _enrich_url(self, step_id: str, place: Place, before: str) -> None:
        if self._enriching(step_id) and self._on_main(place) and self._replay.page.url != before:
            self._replay.options.enrich.step(step_id).postconditions.append(UrlMatches(pattern=url_pattern(self._replay.page.url)))

    async def _enrich_pointer(self, step_id: str, place: Place, before: str, appeared: bool) -> None:
        if not appeared:
            return
        await asyncio.sleep(0.1)
        if self._replay.page.url != before:
            self._enrich_url(step_id, place, before)
            return
        try:
            opened = await place.frame.evaluate_handle(f"() => ({page_script('watch')}).collect(null)")
            element = opened.as_element()
            if element is None:
                return
            _, target = await record_target(self._replay.page, element)
        except Exception:  # noqa: BLE001 - nothing worth keeping appeared; the step itself succeeded
            return
        self._replay.options.enrich.step(step_id).postconditions.append(ElementState(target=target, state="visible"))

    async def _enrich_change(self, step_id: str, place: Place, element: ElementHandle, kind: str, text: str) -> None:
        if self._replay.options.enrich is None:
            return
        findings = self._replay.options.enrich.step(step_id)
        try:
            findings.password_field = await element.evaluate("el => el instanceof HTMLInputElement && el.type === 'password'")
            if not self._enriching(step_id) or not self._on_main(place):
                return
            if kind == "checkable-input":
                checked = await element.evaluate(CHECKED)
                if checked in (True, False):
                    findings.postconditions.append(ElementState(state="checked" if checked else "unchecked"))
            elif await element.evaluate(FIELD_VALUE) == text:
                findings.postconditions.append(FieldValue(value=LiteralValue(value="")))  # bound to the step's value
        except PlaywrightError:
            return


def _lost(found: Probe) -> tuple[Reason, str, list[CandidateOutcome]]:
    reason: Reason = _LOST.get(found.status, "element_missing")  # type: ignore[assignment]
    message = {
        "missing": "no selector found an element",
        "ambiguous": "the selector that would be used matches several elements and no other singles one out",
        "error": f"no selector found an element, and one failed: {found.error}",
        "not_element": "the selector that would be used finds something that is not an element",
        "gone": f"the frame went away while its elements were queried ({found.error})",
    }.get(found.status, found.status)
    return reason, message, found.outcomes
