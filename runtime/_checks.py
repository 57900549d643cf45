"""After an action: what held when it was recorded must hold now (URL, field value, state, text)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator

from tracer import ElementState, ElementText, FieldValue, LiteralValue, ParamRef, SecretRef, Target, UrlMatches

from ._divergence import diverge, locate_message
from ._locate import LocateFailed, Located, locate
from ._locators import locators_for
from ._replay import Replay
from ._templates import resolve_fingerprint, text_pattern
from ._urls import match_template, template_regex, url_matches
from ._values import plain

__all__ = ["FIELD_VALUE", "Checks", "TextCheck", "expected_text", "poll", "text_holds"]

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


class Checks:
    """Post-conditions and assertions of one replay."""

    def __init__(self, replay: Replay) -> None:
        self.replay = replay

    async def postconditions(
        self,
        step_id: str,
        own: Locator | None,
        *,
        own_value_checked: bool = False,
        own_value: list[str] | None = None,
        own_state: str | None = None,
    ) -> None:
        """Check what held after the step when it was recorded; what the action itself proved is skipped."""
        for condition in self.replay.recorded.postconditions(step_id):
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
            if condition.target is not None:
                el = await self._locate_target(step_id, condition.target)
                target = el.locator
            if target is None:
                continue
            secret = isinstance(condition, FieldValue) and isinstance(condition.value, SecretRef)
            await self.expect(step_id, self.resolved(condition), target, secret=secret)

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

    async def read(self, locator: Locator, script: str) -> Any:
        """`script` evaluated on the element, or None when it is gone."""
        try:
            return await locator.evaluate(script, timeout=self.replay.options.action_timeout * 1000)
        except PlaywrightError:
            return None

    async def expect(self, step_id: str, condition: Any, locator: Locator, *, secret: bool = False) -> None:
        """Wait up to the post-condition timeout for `condition` to hold on `locator`, else diverge."""
        last: list[Any] = [None]

        if isinstance(condition, ElementText):
            condition = self.resolved(condition)

        async def holds() -> bool:
            if isinstance(condition, TextCheck):
                text = await self.read(locator, _TEXT)
                last[0] = text
                return text is not None and text_holds(text, condition.want, exact=condition.exact)
            if isinstance(condition, FieldValue):
                value = await self.read(locator, _OPTION_LABEL if condition.by == "label" else FIELD_VALUE)
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
