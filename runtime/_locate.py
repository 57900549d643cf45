"""Finding a step's element: candidates in order, each verified against the recorded fingerprint."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from tracer import IS_VISIBLE, Fingerprint, page_script

from ._errors import CandidateOutcome, Reason
from ._locators import describe
from ._score import score
from ._settle import SettleWait

__all__ = ["IS_VISIBLE", "LocateFailed", "Located", "Reader", "dom_excerpt", "locate", "near_miss"]

# One round trip per candidate: how many match, which are visible, the fingerprint of the one that
# would be taken (the only visible match; the first with `many`), and, for steps that read the page
# (extraction), what `reader` gives for the taken elements (all visible ones with `many`). The value
# is used only once the fingerprint has verified.
_PROBE = """([els, many, arg]) => {
  const isVisible = %s;
  const fingerprint = %s;
  const reader = %s;
  const visible = els.slice(0, 50).map(isVisible);
  const shown = visible.flatMap((flag, i) => (flag ? [i] : []));
  const taken = shown.length === 1 || (many && shown.length) ? fingerprint(els[shown[0]]) : null;
  if (taken && els[shown[0]].tagName === "SELECT")  // what select_option needs to check, in the same trip
    taken.options = Array.from(els[shown[0]].options).map((o) => [o.value, o.label]);
  const value = taken && reader ? reader(many ? els.filter(isVisible) : [els[shown[0]]], arg) : null;
  return { count: els.length, visible, taken, value };
}"""

_EXCERPT = """el => {
  const around = el.parentElement || el;
  const html = around.outerHTML.length <= 1200 ? around.outerHTML : el.outerHTML;
  return html.length > 1200 ? html.slice(0, 1200) + "…" : html;
}"""


@dataclass
class Located:
    locator: Locator
    index: int
    selector: str
    score: float | None
    live: dict[str, Any]
    outcomes: list[CandidateOutcome]
    visible: list[int] = field(default_factory=list)
    value: Any = None
    """What the reader gave (see `Reader`), when one was asked for."""


# A script `(elements, arg) => value` run on the taken elements in the probe's own round trip, and its arg.
Reader = tuple[str, Any]


class LocateFailed(Exception):
    def __init__(self, reason: Reason, outcomes: list[CandidateOutcome], best: Locator | None) -> None:
        super().__init__(reason)
        self.reason: Reason = reason
        self.outcomes = outcomes
        self.best = best


async def _probe(
    index: int, loc: Locator, recorded: Fingerprint | None, min_score: float, many: bool, reader: Reader | None
) -> tuple[CandidateOutcome, Located | None, tuple[float, Locator] | None]:
    selector = describe(loc)
    script = _probe_script(reader[0] if reader else "null")
    try:
        found = await loc.evaluate_all(f"(els, args) => ({script})([els, ...args])", [many, reader[1] if reader else None])
    except PlaywrightError as exc:
        # Mid-navigation contexts vanish; a bad selector fails for good. Both are reported, neither accepted.
        message = str(exc).strip().splitlines()[0][:300]
        return CandidateOutcome(index=index, selector=selector, outcome="error", error=message), None, None
    visible = [i for i, flag in enumerate(found["visible"]) if flag]
    base = {"index": index, "selector": selector, "matches": found["count"], "visible": len(visible)}
    if found["count"] == 0:
        return CandidateOutcome(**base, outcome="missing"), None, None
    if not visible:
        return CandidateOutcome(**base, outcome="hidden"), None, None
    if len(visible) > 1 and not many:
        return CandidateOutcome(**base, outcome="ambiguous"), None, None
    element = loc if found["count"] == 1 else loc.nth(visible[0])
    live = found["taken"]
    value = score(recorded, live) if recorded is not None else None
    if value is not None and value < min_score:
        return CandidateOutcome(**base, score=value, outcome="low_score"), None, (value, element)
    outcome = CandidateOutcome(**base, score=value, outcome="ok")
    chosen = loc if many else element
    return outcome, Located(chosen, index, selector, value, live, [], visible, found["value"]), None


@cache
def _probe_script(reader: str) -> str:
    return _PROBE % (IS_VISIBLE, page_script("fingerprint"), reader)


async def locate(
    page: Page,
    candidates: list[Locator],
    recorded: Fingerprint | None,
    *,
    timeout: float,
    min_score: float,
    many: bool = False,
    reader: Reader | None = None,
    settle: SettleWait | None = None,
) -> Located:
    """The first candidate with exactly one visible match (any number with `many`) that verifies.

    With `settle`, an element still missing at `timeout` is waited for while the page is busy (see
    `SettleWait`); other failures (ambiguous, mismatched) are reported at `timeout` as before.
    """
    if not candidates:
        raise ValueError("a target needs at least one candidate")
    try:
        await page.wait_for_load_state("domcontentloaded", timeout=timeout * 1000)
    except PlaywrightError:
        pass  # polling below still decides
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + timeout
    delay = 0.02
    while True:
        outcomes: list[CandidateOutcome] = []
        best: tuple[float, Locator] | None = None
        for index, loc in enumerate(candidates):
            outcome, located, near = await _probe(index, loc, recorded, min_score, many, reader)
            outcomes.append(outcome)
            if located is not None:
                located.outcomes = outcomes
                return located
            if near is not None and (best is None or near[0] > best[0]):
                best = near
        now = loop.time()
        if settle is not None:
            await settle.prime(now - started)
        if now >= deadline:
            reason = _reason(outcomes)
            if settle is None or reason != "element_missing" or not await settle.keep_waiting(now - started):
                raise LocateFailed(reason, outcomes, best[1] if best else None)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 0.15)


def _reason(outcomes: list[CandidateOutcome]) -> Reason:
    kinds = {o.outcome for o in outcomes}
    if "low_score" in kinds:
        return "fingerprint_mismatch"
    if "ambiguous" in kinds:
        return "ambiguous"
    return "element_missing"


async def dom_excerpt(element: Locator) -> str | None:
    try:
        return await element.first.evaluate(_EXCERPT, timeout=1000)
    except PlaywrightError:
        return None


# Visible elements that could be the recorded one, whatever their tag: those sharing its tag or role,
# one of its stable attributes, or a word of its name or text. Fingerprinted in the page, capped.
_NEAR = """(els, hint) => {
  const isVisible = %s;
  const fingerprint = %s;
  const words = new Set(hint.words);
  const related = (el) => {
    const tag = el.tagName.toLowerCase();
    if (tag === hint.tag || (hint.role && el.getAttribute("role") === hint.role)) return true;
    if (hint.attributes.some(([k, v]) => el.getAttribute(k) === v)) return true;
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").toLowerCase();
    if (text.length > 400) return false;  // a container, not the element
    return text.split(/[^\\p{L}\\p{N}]+/u).some((w) => words.has(w));
  };
  const out = [];
  for (let i = 0; i < els.length && out.length < 150; i++) {
    const el = els[i];
    if (["HTML", "HEAD", "BODY", "SCRIPT", "STYLE", "TEMPLATE", "META", "LINK"].includes(el.tagName)) continue;
    if (related(el) && isVisible(el)) out.push([i, fingerprint(el)]);
  }
  return out;
}"""


async def near_miss(scope: Any, recorded: Fingerprint) -> Locator | None:
    """The visible element on the page most like the recorded one, of any tag, for the divergence report."""
    words = sorted({w for w in re.split(r"[^\w]+", f"{recorded.name or ''} {recorded.text or ''}".lower()) if len(w) > 2})
    stable = [[k, v] for k, v in sorted(recorded.attributes.items()) if k in ("id", "name", "href", "for", "data-testid")]
    hint = {"tag": recorded.tag, "role": recorded.role, "words": words[:20], "attributes": stable}
    everything = scope.locator("*")
    try:
        found = await everything.evaluate_all(_NEAR % (IS_VISIBLE, page_script("fingerprint")), hint)
    except PlaywrightError:
        return None
    if not found:
        return None
    # Like the recorded element in what it says and where it sits, whatever kind of element it became
    # (a link turned <summary>), or like it as the same kind of element: the better of the two.
    scored = [(max(score(recorded, live), score(_as_kind_of(recorded, live), live)), index) for index, live in found]
    best, index = max(scored, key=lambda pair: (pair[0], -pair[1]))
    return everything.nth(index) if best > 0.3 else None


def _as_kind_of(recorded: Fingerprint, live: dict[str, Any]) -> Fingerprint:
    return recorded.model_copy(update={"tag": live.get("tag") or recorded.tag, "role": None})
