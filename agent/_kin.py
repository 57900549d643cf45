"""Elements of one family: what a new release may turn a recorded element into while it stays the same control."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from tracer import Fingerprint

__all__ = ["MIN_NAME_SIMILARITY", "family", "kin"]

# Things one clicks to go somewhere or make something happen: a release swaps one for another
# (a "Show" link that became <details><summary>, an <a> that became a <button>, a menu entry).
_ACTIVATORS = "activator"
# Fields one types into: the input's type (text, email, search...) or a textarea may change.
_TEXT_FIELDS = "text field"
_ACTIVATOR_ROLES = {"link", "button", "menuitem", "menuitemcheckbox", "menuitemradio", "tab"}
_BUTTON_TYPES = {"button", "submit", "reset", "image"}
_TEXT_TYPES = {"", "text", "email", "search", "tel", "url", "number", "password"}
MIN_NAME_SIMILARITY = 0.8
"""How alike the recorded and the live accessible names must be (difflib ratio, case-folded)."""


def family(tag: str | None, role: str | None, input_type: str | None) -> str | None:
    """The family an element belongs to, or None when it belongs to none."""
    tag = (tag or "").lower()
    if role in _ACTIVATOR_ROLES or tag in ("a", "button", "summary"):
        return _ACTIVATORS
    if tag == "input" and (input_type or "").lower() in _BUTTON_TYPES:
        return _ACTIVATORS
    if tag == "textarea" or (tag == "input" and (input_type or "").lower() in _TEXT_TYPES) or role in ("textbox", "searchbox"):
        return _TEXT_FIELDS
    return None


def kin(recorded: Fingerprint, live: dict[str, Any], intention: str) -> bool:
    """The live element is of the recorded one's family and their names agree: the recorded name and the
    live one are alike, or every word of the live name is in the step's intention."""
    live_attributes = live.get("attributes") or {}
    was = family(recorded.tag, recorded.role, recorded.attributes.get("type"))
    now = family(live.get("tag"), live.get("role"), live_attributes.get("type"))
    if was is None or was != now:
        return False
    name = _norm(live.get("name"))
    if not name:
        return False
    if recorded.name and SequenceMatcher(None, _norm(recorded.name), name, autojunk=False).ratio() >= MIN_NAME_SIMILARITY:
        return True
    words = re.findall(r"\w+", name)
    said = set(re.findall(r"\w+", _norm(intention)))
    return bool(words) and all(word in said for word in words)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()
