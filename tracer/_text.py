"""Text bound for a terminal: control characters, escape sequences and lone surrogates made visible."""

from __future__ import annotations

import re

__all__ = ["terminal_safe", "terminal_safe_json"]

# C0 and C1 controls (ESC and CSI start escape sequences), DEL, line and paragraph separators, bidi
# controls (they reorder what a reader sees), and lone surrogates (they cannot be encoded at all).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(text: str, *, newlines: bool = True) -> str:
    """`text` with every character a terminal would act on shown as an escape (`\\x1b`, `\\u2028`, `\\udc80`);
    tabs are kept, newlines too unless `newlines` is False."""
    out = _UNSAFE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
    return out if newlines else out.replace("\n", "\\n")


def terminal_safe_json(text: str) -> str:
    """JSON text with the same characters as JSON `\\u` escapes: still valid JSON, and still the same data."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
