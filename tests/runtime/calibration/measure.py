"""Scoring every calibration pair in a browser, the way the recorder and the runtime do it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playwright.async_api import Page

from runtime._pagejs import verify_library
from runtime._score import verdict
from tracer import Fingerprint, record_target

from .pairs import CASES, Case, Pair

__all__ = ["Measured", "measure", "summary"]

_JUDGE = f"(el, rec) => {{ const lib = {verify_library()}; return lib.judge(el, rec); }}"


@dataclass(frozen=True)
class Measured:
    case: str
    pair: Pair
    recorded: Fingerprint
    score: float
    mismatch: str | None
    python: tuple[float, str | None]
    """The same verdict computed by runtime/_score.py from the live fingerprint the page returned."""
    live: dict[str, Any]

    def accepted(self, min_score: float) -> bool:
        return self.mismatch is None and self.score >= min_score


async def _measure_case(page: Page, case: Case) -> list[Measured]:
    await page.set_content(case.before)
    recorded: dict[str, Fingerprint] = {}
    for pair in case.pairs:
        if pair.recorded not in recorded:
            _, target = await record_target(page, page.locator(pair.recorded))
            assert target.fingerprint is not None
            recorded[pair.recorded] = target.fingerprint
    await page.set_content(case.after)
    out = []
    for pair in case.pairs:
        fingerprint = recorded[pair.recorded]
        spec: dict[str, Any] = fingerprint.model_dump(mode="json", exclude={"box"}, exclude_defaults=True)
        judged = await page.locator(pair.live).evaluate(_JUDGE, spec)
        python = verdict(fingerprint, judged["live"])
        out.append(
            Measured(case.name, pair, fingerprint, judged["score"], judged["mismatch"], (python.score, python.mismatch), judged["live"])
        )
    return out


async def measure(page: Page) -> list[Measured]:
    results: list[Measured] = []
    for case in CASES:
        results += await _measure_case(page, case)
    return results


def summary(results: list[Measured], min_score: float) -> dict[str, Any]:
    """How often the verdict at `min_score` separates the same element from look-alikes.

    `*_score_only` counts what the score alone would do, without the mismatch rules.
    """
    same = [r for r in results if r.pair.same and not r.pair.changed]
    changed = [r for r in results if r.pair.changed]
    different = [r for r in results if not r.pair.same]
    return {
        "same": len(same),
        "same_accepted": sum(r.accepted(min_score) for r in same),
        "changed": len(changed),
        "changed_accepted": sum(r.accepted(min_score) for r in changed),
        "different": len(different),
        "different_rejected": sum(not r.accepted(min_score) for r in different),
        "different_rejected_score_only": sum(r.score < min_score for r in different),
        "same_accepted_score_only": sum(r.score >= min_score for r in same),
        "lowest_same_score": min((r.score for r in same), default=None),
        "highest_different_score": max((r.score for r in different), default=None),
    }
