"""Was a stop false? The step's own locator and the application decide, not the replay's word.

A stop is *false* when the page still had the element (the flow's own locator finds exactly one) or,
for a check after the action, when the action was right (the acted element was the flow's, and the
URL, text or value is what the flow expects with this run's data). Each verdict says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus

from playwright.async_api import ElementHandle, Locator, Page
from playwright.async_api import Error as PlaywrightError

from runtime import Divergence

from ._flow import FlowStep, resolve

__all__ = ["LOCATE_REASONS", "Stop", "frozen_in", "judge", "oracle_handle"]

# Reasons raised before the step acted; the others come from checks after the action.
LOCATE_REASONS = frozenset({"element_missing", "ambiguous", "fingerprint_mismatch"})


@dataclass(frozen=True)
class Stop:
    step_id: str
    intention: str
    reason: str
    false: bool | None
    """True: the page had the element / the action was right; None: could not tell."""
    why: str
    message: str


async def oracle_handle(
    page: Page, step: FlowStep, params: Mapping[str, Any], *, wait: float
) -> tuple[ElementHandle | None, int]:
    """The element the flow step means, and how many the step's own locator finds."""
    if step.target is None:
        return None, 0
    locator = step.target(page, params)
    try:
        if wait:
            await locator.first.wait_for(state="visible", timeout=wait * 1000)
        count = await locator.count()
        if count != 1:
            return None, count
        return await locator.element_handle(timeout=1000), 1
    except PlaywrightError:
        return None, 0


async def judge(
    page: Page,
    step: FlowStep,
    divergence: Divergence,
    candidates: list[Locator] | None,
    *,
    acted: bool,
    acted_right: bool | None,
    recorded: Mapping[str, Any],
    params: Mapping[str, Any],
    secrets: Mapping[str, str],
    ids: Sequence[str] = (),
) -> Stop:
    reason = divergence.reason
    oracle, count = await oracle_handle(page, step, params, wait=3.0)
    frozen = _frozen(divergence, recorded, params, ids)
    if not acted or reason in LOCATE_REASONS:
        if step.target is None:
            false, why = None, "the step has no element"
        elif oracle is None:
            false, why = False, f"the element is gone: the flow's own locator finds {count}"
        else:
            false, why = True, await _candidates_on(oracle, divergence, candidates)
    elif reason == "unexpected_url":
        await _settle(page)
        right = step.url is not None and re.search(step.url, page.url) is not None
        false = right and acted_right is not False
        why = f"the page is at {_path(page.url)}" + (", where the flow expects it" if right else ", not where the flow expects it")
        why += _url_cause(divergence.message, page.url)
    else:
        right = await _effect_holds(step, oracle, params, secrets)
        false = bool(right and acted_right is not False)
        why = ("the step's effect is there" if right else "the step's effect is missing") + f": {divergence.message}"
        if step.kind == "select" and "field value" in divergence.message:
            why += " (the check holds the option's value, a database key, though the option was chosen by its label)"
    if frozen:
        why += "; " + "; ".join(frozen)
    if step.note:
        why += f" [{step.note}]"
    return Stop(divergence.step_id, divergence.intention, reason, false, why, divergence.message)


async def _candidates_on(oracle: ElementHandle, divergence: Divergence, candidates: list[Locator] | None) -> str:
    """Which recorded candidates still find the right element, and what the runtime made of each."""
    notes = []
    for outcome in divergence.candidates:
        hits = 0
        if candidates is not None and outcome.index < len(candidates):
            try:
                hits = await candidates[outcome.index].evaluate_all("(els, o) => els.filter((e) => e === o).length", oracle)
            except PlaywrightError:
                hits = 0
        found = "finds the right element" if hits else "misses it"
        detail = outcome.outcome + (f" {outcome.score}" if outcome.score is not None else "")
        if outcome.outcome == "ambiguous":
            detail += f" ({outcome.matches} matches)"
        notes.append(f"#{outcome.index} `{_short(outcome.selector)}` {detail}, {found}")
    return "the page has the element; " + ("; ".join(notes) if notes else "no candidate was tried")


async def _effect_holds(step: FlowStep, oracle: ElementHandle | None, params: Mapping[str, Any], secrets: Mapping[str, str]) -> bool:
    if oracle is None:
        return False
    want = resolve(step.value, params, secrets)
    try:
        if step.kind == "assert_text":
            text = await oracle.evaluate("el => (el.innerText || '').replace(/\\s+/g, ' ').trim()")
            if isinstance(want, re.Pattern):
                return want.search(text) is not None
            return " ".join(str(want).split()) in text
        if step.kind == "fill":
            return bool(await oracle.evaluate("el => el.value") == str(want))
        if step.kind == "select":
            labels = await oracle.evaluate("el => Array.from(el.selectedOptions).map((o) => o.label)")
            return str(want) in labels
        if step.kind == "check":
            return bool(await oracle.evaluate("el => el.checked") == bool(want))
    except PlaywrightError:
        return False
    return True


def frozen_in(text: str, recorded: Mapping[str, Any], params: Mapping[str, Any], ids: Sequence[str]) -> list[str]:
    """Recording-time data in `text`: parameter values (also URL-encoded) and the id of the record created."""
    found = []
    for name, value in recorded.items():
        plain = str(value)
        if len(plain) < 3 or params.get(name) == value:
            continue
        if any(form in text for form in {plain, quote(plain, safe=""), quote_plus(plain), quote(plain)}):
            found.append(f"the recorded value {plain!r} of `{name}`")
    for record_id in ids:
        # An id as a path segment, query value or word (`/3/`, `issue3`, `=3`, `issue 3`), not a position.
        if re.search(rf"(?<=[a-z/=\s]){re.escape(record_id)}(?=[/?&\"'#\s]|$)", text):
            found.append(f"the recorded record id {record_id}")
    return found


def _frozen(divergence: Divergence, recorded: Mapping[str, Any], params: Mapping[str, Any], ids: Sequence[str]) -> list[str]:
    """Recording-time data that the failing candidates or the failed check still carry."""
    expected = divergence.message.split(", found", 1)[0].split("', page is at", 1)[0]
    places = [(f"candidate #{o.index}", o.selector) for o in divergence.candidates] + [("the check", expected)]
    notes = []
    for where, text in places:
        for what in frozen_in(text, recorded, params, ids):
            notes.append(f"{what} is frozen into {where}")
    return notes


def _url_cause(message: str, url: str) -> str:
    match = re.search(r"expected '([^']*)'", message)
    if not match:
        return ""
    pattern = match.group(1)
    notes = []
    if "#" in url:
        notes.append("the URL has a #fragment")
    literal_ids = [seg for seg in re.split(r"[/?&=]", pattern) if seg.isdigit() or re.fullmatch(r"[a-z]+\d+", seg or "")]
    if literal_ids:
        notes.append(f"the pattern keeps the recorded id {', '.join(literal_ids)}")
    return f" (recorded pattern `{_path(pattern)}`" + ("; " + "; ".join(notes) if notes else "") + ")"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


async def _settle(page: Page) -> None:
    try:
        await page.wait_for_load_state("load", timeout=5000)
    except PlaywrightError:
        pass


def _short(selector: str) -> str:
    return selector if len(selector) <= 90 else selector[:87] + "..."
