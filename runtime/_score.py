"""How close a live element is to the recorded fingerprint.

The score is a weighted mean over the features the recording has, each in [0, 1]:

    feature      weight  similarity
    tag          1.0     equal or not
    role         1.5     equal or not
    name         2.0     text similarity of the accessible names
    text         1.0     text similarity of the visible texts
    attributes   2.0     share of the recorded stable attributes with the same live value
    ancestors    1.0     sequence similarity of the nearest-first ancestor summaries

Text similarity is difflib's ratio over case-folded, whitespace-collapsed strings. A recorded
feature the live element lacks counts 0. An element is accepted at `Options.min_score` (0.6):
a renamed id or a reworded label keeps a real element well above it, while a different element
that merely shares a text (a link where a button was) falls well below.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

from tracer import Fingerprint

__all__ = ["WEIGHTS", "score"]

WEIGHTS = {"tag": 1.0, "role": 1.5, "name": 2.0, "text": 1.0, "attributes": 2.0, "ancestors": 1.0}
"""The weight of each fingerprint feature in `score`."""


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def _text_similarity(recorded: str, live: str | None) -> float:
    a, b = _norm(recorded), _norm(live)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def score(recorded: Fingerprint, live: dict[str, Any]) -> float:
    """The weighted similarity (0..1) of a live element to a recorded fingerprint (see the table above)."""
    parts: list[tuple[float, float]] = [(WEIGHTS["tag"], float(recorded.tag == live.get("tag")))]
    if recorded.role:
        parts.append((WEIGHTS["role"], float(recorded.role == live.get("role"))))
    if recorded.name:
        parts.append((WEIGHTS["name"], _text_similarity(recorded.name, live.get("name"))))
    if recorded.text:
        parts.append((WEIGHTS["text"], _text_similarity(recorded.text, live.get("text"))))
    if recorded.attributes:
        live_attrs = live.get("attributes") or {}
        same = sum(1 for k, v in recorded.attributes.items() if live_attrs.get(k) == v)
        parts.append((WEIGHTS["attributes"], same / len(recorded.attributes)))
    if recorded.ancestors:
        live_anc = list(live.get("ancestors") or [])
        ratio = SequenceMatcher(None, list(recorded.ancestors), live_anc, autojunk=False).ratio()
        parts.append((WEIGHTS["ancestors"], ratio))
    total = sum(w for w, _ in parts)
    return round(sum(w * s for w, s in parts) / total, 4)
