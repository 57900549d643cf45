"""The real-application pairs (realapps.json, made by `python -m bench.realapps.pairs`), judged in Python.

Each recorded element of the Django admin, Roundup and Wagtail flows, recorded on one release, against
the same element on the other release (`same`; `renamed` when the release changed its accessible name)
and against its siblings and decoys on both releases. No browser: the live fingerprints are stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from runtime._score import _norm, verdict
from tracer import Fingerprint

__all__ = ["FIXTURE", "LOOK_ALIKES", "RealPair", "load", "stopped_elsewhere", "summary"]

FIXTURE = Path(__file__).with_name("realapps.json")
LOOK_ALIKES = ("sibling", "decoy")


@dataclass(frozen=True)
class RealPair:
    app: str
    recorded_on: str
    judged_on: str
    intention: str
    kind: str
    """same, renamed, sibling or decoy."""
    element: str
    recorded: Fingerprint
    live: dict[str, Any]
    expects: str | None
    """The text the step's check expects in its element (text checks only)."""
    score: float
    mismatch: str | None

    def accepted(self, min_score: float) -> bool:
        return self.mismatch is None and self.score >= min_score

    def describe(self) -> str:
        return (f"{self.app} {self.recorded_on}->{self.judged_on} {self.intention!r} {self.kind} {self.element}: "
                f"{self.score} {self.mismatch or ''}")


@cache
def load() -> tuple[RealPair, ...]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    out = []
    for step in data["steps"]:
        recorded = Fingerprint.model_validate(step["fingerprint"])
        for pair in step["pairs"]:
            judged = verdict(recorded, pair["live"])
            out.append(RealPair(step["app"], step["recorded_on"], pair["judged_on"], step["intention"], pair["kind"],
                                pair["element"], recorded, pair["live"], step.get("expects"), judged.score, judged.mismatch))
    return tuple(out)


def stopped_elsewhere(pair: RealPair) -> str | None:
    """Which other check stops a look-alike that no fingerprint can tell apart, or None.

    - A *twin link*: the same name and the same address as the recorded link (Django's sidebar lists
      "Flat pages" as the breadcrumbs do). Acting on it does what the step means, and the step's URL
      post-condition proves it; where both are on the page a candidate finding both is `ambiguous`.
    - A *check's element* (a container read for its text, say a results table) named by its content: the
      check's own expected text, which the look-alike does not hold, ends the step in a divergence.
    """
    live_href = (pair.live.get("attributes") or {}).get("href")
    href = pair.recorded.attributes.get("href")
    if href and href == live_href and _norm(pair.live.get("name")) == _norm(pair.recorded.name):
        return "twin link: same name and address; the URL post-condition holds either way"
    if pair.expects and _norm(pair.expects) not in _norm(pair.live.get("text")):
        return f"the text check: it does not hold {pair.expects!r}"
    return None


def summary(pairs: tuple[RealPair, ...], min_score: float) -> dict[str, Any]:
    """How often the verdict at `min_score` separates the same element from look-alikes, per application."""
    out: dict[str, Any] = {}
    for app in sorted({p.app for p in pairs}):
        mine = [p for p in pairs if p.app == app]
        same = [p for p in mine if p.kind == "same"]
        renamed = [p for p in mine if p.kind == "renamed"]
        others = [p for p in mine if p.kind in LOOK_ALIKES]
        out[app] = {
            "same": len(same),
            "same_accepted": sum(p.accepted(min_score) for p in same),
            "renamed": len(renamed),
            "renamed_stopped": sum(not p.accepted(min_score) for p in renamed),
            "siblings": sum(p.kind == "sibling" for p in others),
            "decoys": sum(p.kind == "decoy" for p in others),
            "different": len(others),
            "different_rejected": sum(not p.accepted(min_score) for p in others),
            "different_rejected_score_only": sum(p.score < min_score for p in others),
            "stopped_elsewhere": sum(p.accepted(min_score) and stopped_elsewhere(p) is not None for p in others),
            "lowest_same_score": min((p.score for p in same), default=None),
            "highest_different_score": max((p.score for p in others), default=None),
            # The look-alikes the score alone must reject: no mismatch rules them out, no other check stops them.
            "highest_unvetoed_score": max(
                (p.score for p in others if p.mismatch is None and stopped_elsewhere(p) is None), default=None
            ),
        }
    return out
