"""black with one pinned mode: the last stage of every compilation."""

from __future__ import annotations

import black

__all__ = ["BLACK_MODE", "format_source"]

BLACK_MODE = black.Mode(
    target_versions={black.TargetVersion.PY311},
    line_length=88,
    string_normalization=True,
    magic_trailing_comma=True,
    preview=False,
)
"""The one black mode every generated script is formatted with (byte-determinism)."""


def format_source(source: str) -> str:
    """Python source formatted by black with Encore's one pinned mode."""
    return black.format_str(source, mode=BLACK_MODE)
