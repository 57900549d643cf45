"""After an action: what held when it was recorded must hold now (URL, field value, state, text)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Dialog, ElementHandle, Frame, FrameLocator, Locator, Page, Request
from playwright.async_api import Error as PlaywrightError

from tracer import (
    DialogShown,
    ElementState,
    ElementText,
    FieldValue,
    Fingerprint,
    LiteralValue,
    ParamRef,
    RequestMade,
    SecretRef,
    Target,
    UrlMatches,
)

from ._divergence import diverge, locate_message
from ._engine import engine_missing, engine_ready, read_locator, verified_locator
from ._locate import Located, LocateFailed, is_positional, locate, page_flag
from ._locators import describe, frame_scope, locators_for
from ._replay import Replay
from ._templates import resolve_fingerprint, text_pattern
from ._urls import match_template, template_regex, url_matches
from ._values import plain

__all__ = ["FIELD_VALUE", "Checks", "EngineMissing", "TextCheck", "Watch", "expected_text", "poll", "text_holds"]

FIELD_VALUE = """el => ("value" in el && el.tagName !== "BUTTON") ? String(el.value) : (el.innerText || "").trim()"""
_TEXT = "el => (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim()"
# The label of the chosen option (a list chosen by label keeps its label, whatever key its value is).
_OPTION_LABEL = "el => el.selectedOptions && el.selectedOptions.length === 1 ? el.selectedOptions[0].label : null"


@dataclass(frozen=True)
class TextCheck:
    """An expected text as this run sees it: plain text, or a pattern when it holds a counter."""

    want: str | re.Pattern[str]
    exact: bool = False


def expected_text(text: str | re.Pattern[str], exact: bool) -> TextCheck:
    return TextCheck(text if isinstance(text, re.Pattern) else " ".join(text.split()), exact)


def text_holds(seen: str, want: str | re.Pattern[str], *, exact: bool) -> bool:
    """Whether the element's (whitespace-collapsed) text is, or holds, what is expected."""
    if isinstance(want, re.Pattern):
        if exact:
            return want.fullmatch(seen) is not None
        return re.search(want.pattern.removeprefix("^").removesuffix("$"), seen) is not None
    want = " ".join(want.split())
    return seen == want if exact else want in seen


async def poll(check: Callable[[], Any], timeout: float) -> bool:
    """True as soon as `check()` is truthy, False once `timeout` seconds passed; backs off to 150 ms."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    delay = 0.02
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return True
        if loop.time() >= deadline:
            return False
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.15)


class EngineMissing(Exception):
    """The document predates the engine's registration: its checks go through the probes."""


class Watch:
    """What an action causes that only listening can tell: requests it sends, dialogs it raises, loads.

    Listeners are added only for steps whose recording has such a post-condition.
    """

    def __init__(self, replay: Replay, dialogs: list[tuple[str, TextCheck]]) -> None:
        self.replay = replay
        self.page = replay.page
        self.requests: list[tuple[Request, int]] = []
        """Each request with the number of page loads seen before it."""
        self.navigations = 0
        self.dialogs: list[tuple[str, str, bool]] = []
        self._expected_dialogs = dialogs
        self._changed = asyncio.Event()

    def on_request(self, request: Request) -> None:
        self.requests.append((request, self.navigations))
        self._changed.set()

    def on_navigated(self, frame: Frame) -> None:
        if frame == self.page.main_frame:
            self.navigations += 1
            self._changed.set()

    async def on_dialog(self, dialog: Dialog) -> None:
        message = " ".join(dialog.message.split())
        expected = any(
            kind == dialog.type and text_holds(message, want.want, exact=False) for kind, want in self._expected_dialogs
        )
        self.dialogs.append((dialog.type, message, expected))
        self._changed.set()
        # As recorded: a dialog the step raised is accepted; any other is dismissed, and the check fails.
        await (dialog.accept() if expected else dialog.dismiss())

    async def until(self, holds: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not holds():
            left = deadline - loop.time()
            if left <= 0:
                return False
            self._changed.clear()
            try:
                async with asyncio.timeout(left):
                    await self._changed.wait()
            except TimeoutError:
                return holds()
        return True


class Checks:
    """Post-conditions and assertions of one replay."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay
        self._reads = 0

    @asynccontextmanager
    async def watch(self, step_id: str) -> AsyncIterator[Watch | None]:
        """Listen, while the step acts, for what its recorded requests and dialogs need; None when nothing."""
        conditions = self.replay.recorded.postconditions(step_id)
        dialogs = [c for c in conditions if isinstance(c, DialogShown)]
        if not dialogs and not any(isinstance(c, RequestMade) for c in conditions):
            yield None
            return
        page = self.replay.page
        watch = Watch(self.replay, [(d.type, self._dialog_text(d)) for d in dialogs])
        page.on("request", watch.on_request)
        page.on("framenavigated", watch.on_navigated)
        if dialogs:
            page.on("dialog", watch.on_dialog)
        try:
            yield watch
        finally:
            page.remove_listener("request", watch.on_request)
            page.remove_listener("framenavigated", watch.on_navigated)
            if dialogs:
                page.remove_listener("dialog", watch.on_dialog)

    async def postconditions(
        self,
        step_id: str,
        own: Locator | ElementHandle | None,
        *,
        watch: Watch | None = None,
        own_value_checked: bool = False,
        own_value: list[str] | None = None,
        own_state: str | None = None,
    ) -> None:
        """Check what held after the step when it was recorded; what the action itself proved is skipped.

        Dialogs come first (one that asked something else explains a request never sent), then requests:
        a form post's reload must be over before the page is read.
        """
        conditions = sorted(
            self.replay.recorded.postconditions(step_id),
            key=lambda c: 0 if isinstance(c, DialogShown) else 1 if isinstance(c, RequestMade) else 2,
        )
        for condition in conditions:
            if isinstance(condition, (RequestMade, DialogShown)):
                await self._caused(step_id, condition, watch)
                continue
            if own_value_checked and isinstance(condition, FieldValue) and condition.target is None:
                resolved = self.resolved(condition)
                if own_value is None or str(resolved.value.value) in own_value:
                    continue
            if isinstance(condition, ElementState) and condition.target is None and condition.state == own_state:
                continue
            if isinstance(condition, UrlMatches):
                if not await self.wait_url_condition(condition, self.replay.options.postcondition_timeout):
                    raise await diverge(
                        self.replay,
                        step_id,
                        "unexpected_url",
                        f"after the action the page is at {self.replay.page.url!r},"
                        f" expected {self.replay.url(condition.pattern)!r}",
                    )
                continue
            target = own
            seen = None
            resolved = self.resolved(condition)
            if condition.target is not None:
                fast = await self._verified_target(condition.target, resolved)
                if fast is not None:
                    seen, target = fast
                else:
                    target = (await self._locate_target(step_id, condition.target)).locator
            if target is None:
                continue
            secret = isinstance(condition, FieldValue) and isinstance(condition.value, SecretRef)
            await self.expect(step_id, resolved, target, secret=secret, seen=seen)

    def _dialog_text(self, condition: DialogShown) -> TextCheck:
        """The message a dialog must hold on this run (its template filled in, issue 12)."""
        want = None
        if condition.template is not None:
            want = text_pattern(condition.template, self.replay.param_values, self.replay.vars.as_dict())
        return expected_text(condition.message if want is None else want, False)

    async def _caused(self, step_id: str, condition: RequestMade | DialogShown, watch: Watch | None) -> None:
        timeout = self.replay.options.postcondition_timeout
        if watch is None:
            return  # an action that cannot be watched (a key press on the page): nothing to compare with
        if isinstance(condition, DialogShown):
            if await watch.until(lambda: any(expected for *_, expected in watch.dialogs), timeout):
                return
            seen = "; ".join(f"{kind} {message!r}" for kind, message, _ in watch.dialogs) or "none"
            raise await diverge(
                self.replay,
                step_id,
                "postcondition_failed",
                f"expected a {condition.type} dialog saying {condition.message!r}; dialogs shown: {seen}",
            )
        wanted = self.replay.url(condition.url)

        def sent() -> tuple[Request, int] | None:
            return next(
                (
                    (r, loads)
                    for r, loads in watch.requests
                    if r.method == condition.method and url_matches(r.url, wanted)
                ),
                None,
            )

        if not await watch.until(lambda: sent() is not None, timeout):
            seen = ", ".join(f"{r.method} {r.url}" for r, _ in watch.requests if r.method != "GET")
            raise await diverge(
                self.replay,
                step_id,
                "postcondition_failed",
                f"expected a {condition.method} request to {wanted!r}; none was sent"
                + (f" (sent: {seen[:300]})" if seen else ""),
            )
        if condition.navigates:
            # The page the form post leads to (often the same URL again) must have replaced this one
            # before anything is read from it.
            found = sent()
            assert found is not None
            if not await watch.until(lambda: watch.navigations > found[1], timeout):
                raise await diverge(
                    self.replay,
                    step_id,
                    "postcondition_failed",
                    f"the {condition.method} request to {wanted!r} was sent but no page loaded after it",
                )
            try:
                await self.replay.page.wait_for_load_state("load", timeout=timeout * 1000)
            except PlaywrightError:
                pass  # the checks that follow read whatever the page shows

    async def _verified_target(self, target: Target, condition: Any) -> tuple[Any, Locator] | None:
        page = self.replay.page
        scope = frame_scope(page, target.frame_path)
        params, variables = self.replay.param_values, self.replay.vars.as_dict()
        fingerprint = target.fingerprint
        if fingerprint is not None and fingerprint.templates:
            fingerprint = resolve_fingerprint(fingerprint, params, variables)
        try:
            return await self.verified(locators_for(page, target, params, variables), scope, fingerprint, condition)
        except EngineMissing:
            return None

    async def _locate_target(self, step_id: str, target: Target) -> Located:
        options = self.replay.options
        params, variables = self.replay.param_values, self.replay.vars.as_dict()
        fingerprint = target.fingerprint
        if fingerprint is not None and fingerprint.templates:
            fingerprint = resolve_fingerprint(fingerprint, params, variables)
        try:
            return await locate(
                self.replay.page,
                locators_for(self.replay.page, target, params, variables),
                fingerprint,
                timeout=options.postcondition_timeout,
                min_score=options.min_score,
            )
        except LocateFailed as failed:
            raise await diverge(
                self.replay,
                step_id,
                "postcondition_failed",
                "an element that appeared after this step when recorded is not there: "
                + locate_message(failed.reason, failed.outcomes),
                failed.outcomes,
            )

    def resolved(self, condition: Any) -> Any:
        """A condition as this run sees it: a field value's parameter or secret replaced by this run's
        value, an expected text's template filled in."""
        if isinstance(condition, FieldValue) and isinstance(condition.value, (ParamRef, SecretRef)):
            value = plain(getattr(self.replay.params, condition.value.name))
            return condition.model_copy(update={"value": LiteralValue(value=value)})
        if isinstance(condition, ElementText):
            if isinstance(condition.text, ParamRef):  # assert_text(param(...)): this run's value
                return expected_text(plain(getattr(self.replay.params, condition.text.name)), condition.exact)
            want = None
            if condition.template is not None:
                want = text_pattern(condition.template, self.replay.param_values, self.replay.vars.as_dict())
            return expected_text(condition.text if want is None else want, condition.exact)
        return condition

    async def read_text(self, locator: Locator | ElementHandle) -> str | None:
        """The element's text, whitespace-collapsed, or None when it is gone (read in Playwright's own world)."""
        try:
            if isinstance(locator, ElementHandle):
                text = await locator.inner_text()
            else:
                text = await locator.inner_text(timeout=self.replay.options.action_timeout * 1000)
        except PlaywrightError:
            return None
        return " ".join(text.split())

    async def read_value(self, locator: Locator | ElementHandle) -> str | None:
        """A field's value (a widget's text), or None when it is gone."""
        try:
            if isinstance(locator, ElementHandle):
                return await locator.input_value()
            return await locator.input_value(timeout=self.replay.options.action_timeout * 1000)
        except PlaywrightError:
            return await self.read(locator, FIELD_VALUE)  # not an input (a contenteditable widget), or gone

    async def read(self, locator: Locator | ElementHandle, script: str) -> Any:
        """`script` evaluated on the element, or None when it is gone."""
        try:
            if isinstance(locator, ElementHandle):
                return await locator.evaluate(script)
            return await locator.evaluate(script, timeout=self.replay.options.action_timeout * 1000)
        except PlaywrightError:
            return None

    async def observe(self, condition: Any, locator: Locator | ElementHandle) -> Any:
        """What `condition` is about, read from the element: its text, its value, or its state (None: gone)."""
        if isinstance(condition, (ElementText, TextCheck)):
            return await self.read_text(locator)
        if isinstance(condition, FieldValue):
            if condition.by == "label":
                return await self.read(locator, _OPTION_LABEL)
            return await self.read_value(locator)
        checks = {
            "visible": locator.is_visible,
            "hidden": locator.is_hidden,
            "checked": locator.is_checked,
            "unchecked": locator.is_checked,
            "enabled": locator.is_enabled,
            "disabled": locator.is_disabled,
        }
        try:
            return await checks[condition.state]()
        except PlaywrightError:
            return None

    @staticmethod
    def holds(condition: Any, seen: Any) -> bool:
        """Whether what was read (`seen`, None when the element is gone) satisfies the resolved `condition`."""
        if seen is None:
            return False
        if isinstance(condition, TextCheck):
            return isinstance(seen, str) and text_holds(seen, condition.want, exact=condition.exact)
        if isinstance(condition, FieldValue):
            return bool(seen == str(condition.value.value))
        return (not seen) if condition.state == "unchecked" else bool(seen)

    async def expect(
        self, step_id: str, condition: Any, locator: Locator | ElementHandle, *, secret: bool = False, seen: Any = None
    ) -> None:
        """Wait up to the post-condition timeout for `condition` to hold on `locator`, else diverge.

        `seen` is what was already read from the element, when it was (it settles the check at once).
        """
        if isinstance(condition, ElementText):
            condition = self.resolved(condition)
        last: list[Any] = [seen]
        if self.holds(condition, seen):
            return

        async def holds() -> bool:
            last[0] = await self.observe(condition, locator)
            return self.holds(condition, last[0])

        if await poll(holds, self.replay.options.postcondition_timeout):
            return
        found = self.replay.redact(last[0]) if isinstance(last[0], str) else last[0]
        if isinstance(condition, TextCheck):
            shown = condition.want.pattern if isinstance(condition.want, re.Pattern) else condition.want
            message = f"expected text {shown!r}, found {found!r}"
        elif isinstance(condition, FieldValue):
            message = "the field does not hold the expected value" if secret else (
                f"expected field value {condition.value.value!r}, found {found!r}"
            )
        else:
            message = f"the element is not {condition.state}"
        raise await diverge(self.replay, step_id, "postcondition_failed", message, best=locator)

    async def verified(
        self,
        candidates: list[Locator],
        scope: Page | FrameLocator,
        recorded: Fingerprint | None,
        condition: Any,
        *,
        nonce: str = "",
        pending: list[tuple[str, str]] | None = None,
    ) -> tuple[Any, Locator] | None:
        """`condition` checked in one round trip on the first candidate, verified as Playwright resolves it
        for the read (the selector engine, as for actions): what was read and the element, when it holds.

        None when that does not settle it (no engine, a miss, a mismatch, look-alikes, a check that does
        not hold yet): the probes and the polling decide, as without it.
        """
        if recorded is None or not candidates or not await engine_ready(self.replay.page):
            return None
        self._reads += 1
        token = f"{nonce}.check.{self._reads}"
        first = candidates[0]
        loc = verified_locator(
            first, scope, nonce, token, recorded, self.replay.options.min_score,
            positional=is_positional(describe(first)), arm=False, pending=pending or [],
        )
        timeout = self.replay.options.action_timeout * 1000
        try:
            if isinstance(condition, (ElementText, TextCheck)):
                seen: Any = " ".join((await loc.inner_text(timeout=timeout)).split())
            elif isinstance(condition, FieldValue) and condition.by == "label":
                return None  # the chosen option's label: read by the probes
            elif isinstance(condition, FieldValue):
                seen = await loc.input_value(timeout=timeout)
            else:
                seen = await _state(condition, loc)
        except PlaywrightError as exc:
            flag = page_flag(exc)
            if flag is not None:
                raise flag from None
            if engine_missing(exc):
                raise EngineMissing from None
            return None
        # Only a check that already holds is settled here; anything else waits and is reported as usual.
        return (seen, read_locator(scope, token)) if self.holds(condition, seen) else None

    async def wait_url(self, pattern: str, timeout: float) -> bool:
        """Event-driven, like a hand-written `wait_for_url`: no polling delay after a navigation commits."""
        if self.url_ok(pattern):
            return True
        wanted = self.replay.url(pattern)
        try:
            await self.replay.page.wait_for_url(lambda url: url_matches(url, wanted), timeout=timeout * 1000)
        except PlaywrightError:
            return self.url_ok(pattern)
        return True

    def url_ok(self, pattern: str) -> bool:
        return url_matches(self.replay.page.url, self.replay.url(pattern))


    async def wait_url_condition(self, condition: UrlMatches, timeout: float) -> bool:
        """Like `wait_url`, by the condition's template when it has one; its captures become run variables."""
        regex = None
        if condition.template is not None:
            regex = template_regex(
                condition.template, self.replay.param_values, self.replay.vars.as_dict(), self.replay.url
            )
        if regex is None:
            return await self.wait_url(condition.pattern, timeout)
        if match_template(self.replay.page.url, regex) is None:
            try:
                await self.replay.page.wait_for_url(lambda url: match_template(url, regex) is not None, timeout=timeout * 1000)
            except PlaywrightError:
                pass
        captured = match_template(self.replay.page.url, regex)
        if captured is None:
            return False
        for name, value in captured.items():
            self.replay.vars.set(name, value)
        return True


async def _state(condition: ElementState, locator: Locator) -> Any:
    """An element state read through the verified locator: waiting states read as Playwright reads them."""
    if condition.state == "hidden":
        return await locator.is_hidden()
    reads = {"visible": locator.is_visible, "checked": locator.is_checked, "unchecked": locator.is_checked,
             "enabled": locator.is_enabled, "disabled": locator.is_disabled}
    return await reads[condition.state]()
