"""What changed between two cached versions of a block's script, as a unified diff."""

from __future__ import annotations

import difflib

from ._cache import Version

__all__ = ["script_diff", "version_diff"]


def version_diff(old: Version, new: Version) -> str:
    """The unified diff of two versions' scripts, headed by their slots and version numbers."""
    return "".join(
        difflib.unified_diff(
            old.script.splitlines(keepends=True),
            new.script.splitlines(keepends=True),
            fromfile=f"{old.slot.describe()} v{old.version}",
            tofile=f"{new.slot.describe()} v{new.version}",
        )
    )


def script_diff(old: Version, new: Version | None) -> str | None:
    """The diff a repair made to the script; None when no new version was stored."""
    return None if new is None else version_diff(old, new)
