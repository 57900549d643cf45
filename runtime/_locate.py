"""Finding a step's element: candidates in order, each verified against the recorded fingerprint in the page."""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page

from tracer import IS_VISIBLE, Fingerprint

from ._errors import CandidateOutcome, Reason
from ._locators import describe
from ._pagejs import verify_library
from ._settle import SettleWait
from ._templates import fingerprint_json

__all__ = [
    "IS_VISIBLE",
    "LocateFailed",
    "Located",
    "Mark",
    "NearMiss",
    "PageFlag",
    "Reader",
    "dom_excerpt",
    "is_positional",
    "locate",
    "near_miss",
    "page_flag",
]

# One round trip per candidate: it first settles what earlier steps left to check (see `Mark`), then
# counts the matches, finds the visible ones and judges each against the recorded fingerprint. Without
# `many`, exactly one visible match may verify (a position-only candidate also needs no twin); when the
# selector engine is missing it is tagged with the step's token so the action lands on it through its
# handle (with the engine, the action verifies it again as it resolves it). With `many` (extraction), the first visible
# match is judged for all of them. `reader` runs on the taken elements in the same trip; its value is
# used only once the fingerprint has verified.
_PROBE = """([els, many, arg, spec]) => {
  const lib = %s;
  const reader = %s;
  lib.settle(spec.n, spec.pend);
  const visible = els.slice(0, 50).map(lib.isVisible);
  const shown = visible.flatMap((flag, i) => (flag ? [i] : []));
  const judged = (i) => {
    const live = lib.live(els[i], spec.fp);
    if (!spec.fp) return { index: i, live, score: null, mismatch: null, ok: true };
    const score = lib.score(spec.fp, live);
    const mismatch = lib.mismatch(spec.fp, live);
    return { index: i, live, score, mismatch, ok: !mismatch && score >= spec.min };
  };
  let taken = null, best = null, accepted = 0, twins = 0;
  if (many || !spec.fp) {
    if (shown.length === 1 || (many && shown.length)) taken = judged(shown[0]);
  } else {
    for (const i of shown) {
      const j = judged(i);
      if (j.ok) { accepted += 1; taken = taken || j; }
      if (!best || (j.score || 0) > (best.score || 0)) best = j;
    }
    if (accepted > 1) taken = null;
  }
  if (taken && taken.ok && spec.fp && spec.pos && !many) twins = lib.twins(els[taken.index], spec.fp, taken.live);
  const el = taken ? els[taken.index] : null;
  if (el && el.tagName === "SELECT")  // what select_option needs to check, in the same trip
    taken.live.options = Array.from(el.options).map((o) => [o.value, o.label]);
  if (el && taken.ok && !twins && spec.t) lib.state().tokens.set(spec.t, el);
  const value = taken && taken.ok && reader ? reader(many ? els.filter(lib.isVisible) : [el], arg) : null;
  const brief = (j) => j && { index: j.index, live: j.live, score: j.score, mismatch: j.mismatch, ok: j.ok };
  return { count: els.length, visible, accepted, taken: brief(taken), best: brief(best), twins, value };
}"""

_EXCERPT = """el => {
  const around = el.parentElement || el;
  const html = around.outerHTML.length <= 1200 ? around.outerHTML : el.outerHTML;
  return html.length > 1200 ? html.slice(0, 1200) + "…" : html;
}"""

_POSITION = re.compile(r":nth-(?:of-type|child)\(|(?:^| >> )nth=|\[\d+\]")
_IDENTIFYING = re.compile(
    r"\[@?(?:name|href|id|for|data-[\w-]+|aria-label|title|placeholder|value|alt)[~|^$*]?=|internal:(?:label|text|testid|attr)=|#"
)
_FLAG = re.compile(r"encore:(blocked|unkept):([^:\s]+):(.*)")


def is_positional(selector: str) -> bool:
    """Whether a candidate singles its element out by position alone (an nth, an index, a bare role or tag).

    Such a candidate proves nothing about which of several look-alike siblings it found.
    """
    own = selector.rsplit("internal:control=enter-frame >> ", 1)[-1]
    if "internal:has-text=" in own:
        return False  # scoped to the container that holds a text: position inside it is fine
    if _POSITION.search(own):
        return True
    return _IDENTIFYING.search(own) is None


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
    token: str | None = None
    """The token the element was tagged with in the page, when one was asked for."""


# A script `(elements, arg) => value` run on the taken elements in the probe's own round trip, and its arg.
Reader = tuple[str, Any]


@dataclass(frozen=True)
class Mark:
    """What a probe settles and tags: the replay's nonce, the step's token, fields that must keep a value."""

    nonce: str
    token: str | None = None
    pending: tuple[tuple[str, str], ...] = ()

    def tagged(self, index: int) -> Mark:
        """The mark for candidate `index`: its own token, so candidates probed at once do not overwrite."""
        return self if self.token is None else Mark(self.nonce, f"{self.token}#{index}", self.pending)


class LocateFailed(Exception):
    def __init__(self, reason: Reason, outcomes: list[CandidateOutcome], best: Locator | None) -> None:
        super().__init__(reason)
        self.reason: Reason = reason
        self.outcomes = outcomes
        self.best = best


class PageFlag(Exception):
    """The page reports that an earlier step went wrong: its guard blocked a changed element, or a field
    it filled no longer holds the value."""

    def __init__(self, kind: str, token: str, detail: Any) -> None:
        super().__init__(f"{kind} {token}: {detail}")
        self.kind = kind
        self.token = token
        self.detail = detail


def page_flag(error: BaseException) -> PageFlag | None:
    """The `PageFlag` a Playwright error carries, if it is one of ours."""
    match = _FLAG.search(str(error))
    if match is None:
        return None
    raw = match.group(3).strip().splitlines()[0]
    try:
        detail = json.JSONDecoder().raw_decode(raw)[0]
    except ValueError:
        detail = raw
    return PageFlag(match.group(1), match.group(2), detail)


async def _probe(
    index: int,
    loc: Locator,
    recorded: Fingerprint | None,
    min_score: float,
    many: bool,
    reader: Reader | None,
    mark: Mark,
) -> tuple[CandidateOutcome, Located | None, tuple[float, Locator] | None]:
    selector = describe(loc)
    spec = {
        "n": mark.nonce,
        "t": mark.token,
        "pend": [list(p) for p in mark.pending],
        "fp": fingerprint_json(recorded),
        "min": min_score,
        "pos": is_positional(selector),
    }
    try:
        found = await loc.evaluate_all(
            f"(els, args) => ({_probe_script(reader[0] if reader else 'null')})([els, ...args])",
            [many, reader[1] if reader else None, spec],
        )
    except PlaywrightError as exc:
        flag = page_flag(exc)
        if flag is not None:
            raise flag from None
        # Mid-navigation contexts vanish; a bad selector fails for good. Both are reported, neither accepted.
        message = str(exc).strip().splitlines()[0][:300]
        return CandidateOutcome(index=index, selector=selector, outcome="error", error=message), None, None
    visible = [i for i, flag in enumerate(found["visible"]) if flag]
    base = {"index": index, "selector": selector, "matches": found["count"], "visible": len(visible)}
    if found["count"] == 0:
        return CandidateOutcome(**base, outcome="missing"), None, None
    if not visible:
        return CandidateOutcome(**base, outcome="hidden"), None, None
    taken, best = found["taken"], found["best"]
    if recorded is None or many:
        if taken is None:
            return CandidateOutcome(**base, outcome="ambiguous"), None, None
    elif found["accepted"] > 1 or found["twins"]:
        # Several elements pass, or one passes and a twin only its position tells apart: which one is meant?
        return CandidateOutcome(**base, score=taken and taken["score"], outcome="ambiguous"), None, None
    elif taken is None:
        near = loc.nth(best["index"]) if found["count"] > 1 else loc
        outcome = CandidateOutcome(**base, score=best["score"], mismatch=best["mismatch"], outcome="low_score")
        return outcome, None, (best["score"] or 0.0, near)
    if not taken["ok"]:  # `many`: the first visible match speaks for all
        outcome = CandidateOutcome(**base, score=taken["score"], mismatch=taken["mismatch"], outcome="low_score")
        return outcome, None, (taken["score"] or 0.0, loc.nth(taken["index"]))
    element = loc if found["count"] == 1 or many else loc.nth(taken["index"])
    outcome = CandidateOutcome(**base, score=taken["score"], outcome="ok")
    return outcome, Located(element, index, selector, taken["score"], taken["live"], [], visible, found["value"]), None


@cache
def _probe_script(reader: str) -> str:
    return _PROBE % (verify_library(), reader)


async def locate(
    page: Page,
    candidates: list[Locator],
    recorded: Fingerprint | None,
    *,
    timeout: float,
    min_score: float,
    many: bool = False,
    reader: Reader | None = None,
    mark: Mark | None = None,
    settle: SettleWait | None = None,
) -> Located:
    """The first candidate whose visible matches hold exactly one element that verifies (any number with `many`).

    Raises `LocateFailed` once `timeout` passed, and `PageFlag` when the page reports an earlier step's failure.
    With `settle`, an element still missing at `timeout` is waited for while the page is busy (see
    `SettleWait`); other failures (ambiguous, mismatched) are reported at `timeout` as before.
    """
    if not candidates:
        raise ValueError("a target needs at least one candidate")
    mark = mark or Mark(nonce="")
    try:
        await page.wait_for_load_state("domcontentloaded", timeout=timeout * 1000)
    except PlaywrightError:
        pass  # polling below still decides
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + timeout
    delay = 0.02
    first_round = True
    while True:
        # The first candidate alone first (it usually settles it); then the candidates are read at once, a
        # round costing one round trip rather than one per candidate. The first in order that verifies
        # wins. Each tags its element under its own token, so the winner's tag is the one acted on.
        # With `settle`, what it needs to know of the page is read in the same round (see `SettleWait.observe`).
        probes = []
        if first_round:
            probes.append(await _probe(0, candidates[0], recorded, min_score, many, reader, mark.tagged(0)))
        if not probes or probes[0][1] is None:
            rest = [
                _probe(index, loc, recorded, min_score, many, reader, mark.tagged(index))
                for index, loc in enumerate(candidates)
                if index >= len(probes)
            ]
            watch = [settle.observe(loop.time() - started)] if settle is not None else []
            probes += (await asyncio.gather(*rest, *watch))[: len(rest)]
        first_round = False
        outcomes: list[CandidateOutcome] = [outcome for outcome, _, _ in probes]
        best: tuple[float, Locator] | None = None
        for _, located, near in probes:
            if located is not None:
                located.outcomes = outcomes[: located.index + 1]
                located.token = mark.tagged(located.index).token
                return located
            if near is not None and (best is None or near[0] > best[0]):
                best = near
        mark = Mark(mark.nonce, mark.token)  # the pending checks passed on the first round
        now = loop.time()
        left = deadline - now
        if left <= 0:
            reason = _reason(outcomes)
            if settle is None or reason != "element_missing" or not await settle.keep_waiting(now - started):
                raise LocateFailed(reason, outcomes, best[1] if best else None)
            left = delay  # the page is still busy: keep looking
        await asyncio.sleep(min(delay, left))  # the last round runs at the deadline, not a back-off after it
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
# one of its stable attributes, or a word of its name or text (capped). Each is scored against the
# recorded fingerprint by verify.js (the twin of `_score.score`), as itself and as the same kind of element,
# and the best one's excerpt is taken: the whole search costs one round trip.
_NEAR = """(els, [hint, rec, floor]) => {
  const lib = %s;
  const excerpt = %s;
  const words = new Set(hint.words);
  const related = (el) => {
    const tag = el.tagName.toLowerCase();
    if (tag === hint.tag || (hint.role && el.getAttribute("role") === hint.role)) return true;
    if (hint.attributes.some(([k, v]) => el.getAttribute(k) === v)) return true;
    const text = (el.getAttribute("aria-label") || el.textContent || el.value || "").toLowerCase();
    if (text.length > 400) return false;  // a container, not the element
    return text.split(/[^\\p{L}\\p{N}]+/u).some((w) => words.has(w));
  };
  let best = null, seen = 0;
  for (let i = 0; i < els.length && seen < 150; i++) {
    const el = els[i];
    if (["HTML", "HEAD", "BODY", "SCRIPT", "STYLE", "TEMPLATE", "META", "LINK"].includes(el.tagName)) continue;
    if (!related(el) || !lib.isVisible(el)) continue;
    seen += 1;
    const live = lib.live(el, null);
    const score = Math.max(lib.score(rec, live), lib.score({ ...rec, tag: live.tag || rec.tag, role: null }, live));
    if (!best || score > best.score) best = { el, score, tag: live.tag };
  }
  return best && best.score > floor ? { tag: best.tag, score: best.score, excerpt: excerpt(best.el) } : null;
}"""


@dataclass(frozen=True)
class NearMiss:
    """The visible element most like a recorded one that did not verify: its tag, score and DOM excerpt."""

    tag: str
    score: float
    excerpt: str


async def near_miss(scope: Any, recorded: Fingerprint) -> NearMiss | None:
    """The visible element on the page most like the recorded one, of any tag, for the divergence report.

    Like it in what it says and where it sits, whatever kind of element it became (a link turned
    <summary>), or like it as the same kind of element: the better of the two, above 0.3.
    """
    words = sorted({w for w in re.split(r"[^\w]+", f"{recorded.name or ''} {recorded.text or ''}".lower()) if len(w) > 2})
    stable = [[k, v] for k, v in sorted(recorded.attributes.items()) if k in ("id", "name", "href", "for", "data-testid")]
    hint = {"tag": recorded.tag, "role": recorded.role, "words": words[:20], "attributes": stable}
    try:
        found = await scope.locator("*").evaluate_all(_near_script(), [hint, fingerprint_json(recorded), 0.3])
    except PlaywrightError:
        return None
    return NearMiss(found["tag"], found["score"], found["excerpt"]) if found else None


@cache
def _near_script() -> str:
    return _NEAR % (verify_library(), _EXCERPT)
