"""After an action: what held when it was recorded must hold now (URL, field value, state, text)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from playwright.async_api import Dialog, ElementHandle, Frame, Locator, Request
from playwright.async_api import Error as PlaywrightError

from tracer import (
    DialogShown,
    ElementState,
    ElementText,
    FieldValue,
    LiteralValue,
    ParamRef,
    RequestMade,
    SecretRef,
    Target,
    UrlMatches,
)

from ._divergence import diverge, locate_message
from ._locate import LocateFailed, Located, locate
from ._locators import locators_for
from ._replay import Replay
from ._urls import url_matches
from ._values import plain

__all__ = ["FIELD_VALUE", "Checks", "Watch", "poll"]

FIELD_VALUE = """el => ("value" in el && el.tagName !== "BUTTON") ? String(el.value) : (el.innerText || "").trim()"""
_TEXT = "el => (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim()"


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


class Watch:
    """What an action causes that only listening can tell: requests it sends, dialogs it raises, loads.

    Listeners are added only for steps whose recording has such a post-condition.
    """

    def __init__(self, replay: Replay, dialogs: list[DialogShown]) -> None:
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
        expected = any(d.type == dialog.type and " ".join(d.message.split()) in message for d in self._expected_dialogs)
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
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                return holds()
        return True


class Checks:
    """Post-conditions and assertions of one replay."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay

    @asynccontextmanager
    async def watch(self, step_id: str) -> AsyncIterator[Watch | None]:
        """Listen, while the step acts, for what its recorded requests and dialogs need; None when nothing."""
        conditions = self.replay.recorded.postconditions(step_id)
        dialogs = [c for c in conditions if isinstance(c, DialogShown)]
        if not dialogs and not any(isinstance(c, RequestMade) for c in conditions):
            yield None
            return
        page = self.replay.page
        watch = Watch(self.replay, dialogs)
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

        Requests and dialogs come first: a form post's reload must be over before the page is read.
        """
        conditions = sorted(
            self.replay.recorded.postconditions(step_id),
            key=lambda c: 0 if isinstance(c, (RequestMade, DialogShown)) else 1,
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
                if not await self.wait_url(condition.pattern, self.replay.options.postcondition_timeout):
                    raise await diverge(
                        self.replay,
                        step_id,
                        "unexpected_url",
                        f"after the action the page is at {self.replay.page.url!r},"
                        f" expected {self.replay.url(condition.pattern)!r}",
                    )
                continue
            target = own
            if condition.target is not None:
                el = await self._locate_target(step_id, condition.target)
                target = el.locator
            if target is None:
                continue
            secret = isinstance(condition, FieldValue) and isinstance(condition.value, SecretRef)
            await self.expect(step_id, self.resolved(condition), target, secret=secret)

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

    async def _locate_target(self, step_id: str, target: Target) -> Located:
        options = self.replay.options
        try:
            return await locate(
                self.replay.page,
                locators_for(self.replay.page, target),
                target.fingerprint,
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
        """A field-value condition with its parameter or secret replaced by this run's value."""
        if isinstance(condition, FieldValue) and isinstance(condition.value, (ParamRef, SecretRef)):
            value = plain(getattr(self.replay.params, condition.value.name))
            return condition.model_copy(update={"value": LiteralValue(value=value)})
        return condition

    async def read(self, locator: Locator | ElementHandle, script: str) -> Any:
        """`script` evaluated on the element, or None when it is gone."""
        try:
            if isinstance(locator, ElementHandle):
                return await locator.evaluate(script)
            return await locator.evaluate(script, timeout=self.replay.options.action_timeout * 1000)
        except PlaywrightError:
            return None

    async def expect(
        self, step_id: str, condition: Any, locator: Locator | ElementHandle, *, secret: bool = False
    ) -> None:
        """Wait up to the post-condition timeout for `condition` to hold on `locator`, else diverge."""
        last: list[Any] = [None]

        async def holds() -> bool:
            if isinstance(condition, ElementText):
                text = await self.read(locator, _TEXT)
                last[0] = text
                want = " ".join(condition.text.split())
                return text is not None and (text == want if condition.exact else want in text)
            if isinstance(condition, FieldValue):
                value = await self.read(locator, FIELD_VALUE)
                last[0] = value
                return value == str(condition.value.value)
            state = condition.state
            checks = {
                "visible": locator.is_visible,
                "hidden": locator.is_hidden,
                "checked": locator.is_checked,
                "unchecked": locator.is_checked,
                "enabled": locator.is_enabled,
                "disabled": locator.is_disabled,
            }
            try:
                value = await checks[state]()
            except PlaywrightError:
                return False
            last[0] = value
            return (not value) if state == "unchecked" else bool(value)

        if await poll(holds, self.replay.options.postcondition_timeout):
            return
        found = self.replay.redact(last[0]) if isinstance(last[0], str) else last[0]
        if isinstance(condition, ElementText):
            message = f"expected text {condition.text!r}, found {found!r}"
        elif isinstance(condition, FieldValue):
            message = "the field does not hold the expected value" if secret else (
                f"expected field value {condition.value.value!r}, found {found!r}"
            )
        else:
            message = f"the element is not {condition.state}"
        raise await diverge(self.replay, step_id, "postcondition_failed", message, best=locator)

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
