"""Does a healed element contradict what the step meant? "Delete" where "Save" was recorded is refused.

A healed target is found on a changed page, so it may look different (a role or tag within the same
family, a reworded label); what it must not do is *mean* something else. Its accessible name and text
are read for the kind of action they announce, and compared with the recorded element and the step's
intention: an element announcing a destructive, cancelling or signing-out action the recording did not
mean, or the opposite of what it meant, is refused. Name- and intention-based on purpose: a tag or role
change alone is another check's business.
"""

from __future__ import annotations

import re
from typing import Any

from tracer import Fingerprint

__all__ = ["announced", "contradiction"]

# What an element's label can announce; each word or phrase is matched as whole words, case-folded.
_MEANINGS: dict[str, tuple[str, ...]] = {
    "destroy": ("delete", "remove", "discard", "erase", "destroy", "trash", "purge", "wipe", "revoke",
                "deactivate", "terminate", "close account", "close my account", "drop", "empty cart",
                "clear all", "reset", "uninstall", "unsubscribe", "supprimer", "löschen", "eliminar"),
    "cancel": ("cancel", "abort", "decline", "reject", "deny", "dismiss", "go back", "back", "previous", "no"),
    "sign_out": ("sign out", "log out", "logout", "signout", "log off", "sign off"),
    "sign_in": ("sign in", "log in", "login", "signin", "sign on"),
    "confirm": ("save", "submit", "confirm", "continue", "next", "ok", "okay", "apply", "accept", "agree",
                "yes", "proceed", "send", "update", "done", "finish", "place order", "buy", "pay",
                "checkout", "check out", "create", "register", "sign up", "subscribe"),
    "add": ("add", "new", "create", "insert", "upload", "subscribe"),
    "enable": ("enable", "turn on", "activate", "allow", "show"),
    "disable": ("disable", "turn off", "block", "hide", "mute"),
}
# Meanings a healed element may never introduce on its own: doing them by mistake costs data or a session.
_DANGEROUS = ("destroy", "cancel", "sign_out")
_OPPOSITES = {
    ("confirm", "cancel"), ("confirm", "destroy"), ("sign_in", "sign_out"), ("add", "destroy"),
    ("enable", "disable"),
}
_PATTERNS = {
    meaning: re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b")
    for meaning, words in _MEANINGS.items()
}


def announced(*texts: str | None) -> set[str]:
    """The meanings (`destroy`, `confirm`, ...) the texts announce."""
    joined = " ".join(t for t in texts if t).casefold()
    return {meaning for meaning, pattern in _PATTERNS.items() if pattern.search(joined)}


def contradiction(recorded: Fingerprint | None, intention: str, live: Fingerprint | dict[str, Any]) -> str | None:
    """Why the live element cannot be the step's element, from what its name and text announce; or None."""
    name, text = (live.name, live.text) if isinstance(live, Fingerprint) else (live.get("name"), live.get("text"))
    said = announced(name, text)
    if not said:
        return None
    meant = announced(intention, recorded.name if recorded else None, recorded.text if recorded else None)
    shown = repr(" ".join((name or text or "").split())[:80])
    for meaning in sorted(said - meant):
        if meaning in _DANGEROUS:
            return f"the element is labelled {shown}, which announces {meaning.replace('_', ' ')}; the step never meant that"
    for a, b in sorted(_OPPOSITES):
        if (a in said and b in meant and a not in meant) or (b in said and a in meant and b not in meant):
            return f"the element is labelled {shown}, the opposite of what the step meant"
    return None
