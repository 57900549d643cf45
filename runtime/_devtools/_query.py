"""Running `query.js` in a frame: the element @puppeteer/replay's locator race acts on, or waitForElement's count."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from playwright.async_api import ElementHandle, Frame
from playwright.async_api import Error as PlaywrightError

from tracer import page_script

from .._errors import CandidateOutcome
from ._aria import AriaQueries

__all__ = ["Probe", "count_matches", "describe_selector", "probe"]

Selectors = list[list[str]]


@cache
def _query_script() -> str:
    return files("runtime._devtools").joinpath("query.js").read_text(encoding="utf-8")


@cache
def _locate_script() -> str:
    return (
        "([selectors, aria, deferred]) => { const q = " + _query_script() + "; const r = q.locate(selectors, aria, deferred);"
        " r.fingerprint = r.element ? (" + page_script("fingerprint") + ")(r.element) : null; return r; }"
    )


def _aria_first(selectors: Selectors) -> dict[int, str]:
    return {i: parts[0][len("aria/"):] for i, parts in enumerate(selectors) if parts[0].startswith("aria/")}


def describe_selector(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else json.dumps(parts, ensure_ascii=False)


@dataclass
class Probe:
    """One round of the race: which alternative won, what every alternative found."""

    status: str
    """ok, missing, ambiguous, error (the winning alternative failed), not_element, gone (the frame went away)."""
    outcomes: list[CandidateOutcome]
    winner: int | None = None
    element: ElementHandle | None = None
    live: dict[str, Any] = field(default_factory=dict)
    visible: bool = False
    disagree: bool = False
    error: str | None = None


async def probe(frame: Frame, selectors: Selectors, aria: AriaQueries) -> Probe:
    """The race; alternatives that start with aria/ are asked of the accessibility tree only when needed."""
    first = _aria_first(selectors)
    found = await _round(frame, selectors, {}, sorted(first))
    if first and found.status in ("missing", "error", "ambiguous"):
        try:
            tokens = await aria.register(frame, first)
        except PlaywrightError as exc:
            return Probe("gone", found.outcomes, error=str(exc).strip().splitlines()[0][:300])
        found = await _round(frame, selectors, tokens, [])
    return found


async def _round(frame: Frame, selectors: Selectors, tokens: dict[int, str], deferred: list[int]) -> Probe:
    try:
        handle = await frame.evaluate_handle(_locate_script(), [selectors, {str(k): v for k, v in tokens.items()}, deferred])
    except PlaywrightError as exc:
        # A frame that navigates or detaches mid-query: the next round asks again.
        return Probe("gone", [], error=str(exc).strip().splitlines()[0][:300])
    try:
        head = await handle.evaluate(
            "r => ({status: r.status, winner: r.winner, visible: !!r.visible, disagree: !!r.disagree,"
            " fingerprint: r.fingerprint, outcomes: r.outcomes})"
        )
        element = (await handle.get_property("element")).as_element() if head["status"] == "ok" else None
    except PlaywrightError as exc:
        return Probe("gone", [], error=str(exc).strip().splitlines()[0][:300])
    finally:
        await _dispose(handle)
    info = head["outcomes"]
    outcomes = [_outcome(i, selectors[i], found, head["winner"], head["status"]) for i, found in enumerate(info)]
    error = next((found["error"] for found in info if found["error"]), None) if head["status"] == "error" else None
    return Probe(head["status"], outcomes, head["winner"], element, head["fingerprint"] or {}, head["visible"],
                 head["disagree"], error)


def _outcome(index: int, parts: list[str], found: dict[str, Any], winner: int | None, status: str) -> CandidateOutcome:
    if found.get("deferred"):
        outcome = "not_needed"  # an alternative without aria/ settled the race first
    elif found["error"]:
        outcome = "error"
    elif not found["matches"]:
        outcome = "missing"
    elif index == winner:
        outcome = {"ok": "ok", "ambiguous": "ambiguous"}.get(status, status)
    else:
        outcome = "not_taken"
    return CandidateOutcome(
        index=index, selector=describe_selector(parts), matches=found["matches"], visible=found["visible"],
        outcome=outcome, error=found["error"],
    )


async def count_matches(
    frame: Frame,
    selectors: Selectors,
    aria: AriaQueries,
    *,
    count: int,
    operator: str,
    visible: bool,
    properties: dict[str, Any] | None,
    attributes: dict[str, str] | None,
) -> dict[str, Any]:
    """{holds, matches} for waitForElement; raises PlaywrightError for a selector the page rejects."""
    first = _aria_first(selectors)
    tokens = {str(k): v for k, v in (await aria.register(frame, first)).items()} if first else {}
    script = "(args) => (" + _query_script() + ").count(...args)"
    return await frame.evaluate(script, [selectors, tokens, count, operator, visible, properties, attributes])


async def _dispose(handle: Any) -> None:
    try:
        await handle.dispose()
    except PlaywrightError:
        pass
