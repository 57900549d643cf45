"""The one door through which trace data enters generated code: Python values to LibCST literal nodes."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import libcst as cst

__all__ = ["comment_lines", "literal"]


def literal(value: Any) -> cst.BaseExpression:
    """A node that evaluates to `value`. Dict keys are sorted so equal data gives equal code."""
    if value is None or isinstance(value, bool):
        return cst.Name(repr(value))
    if isinstance(value, int):
        node: cst.BaseExpression = cst.Integer(str(abs(value)))
        return cst.UnaryOperation(cst.Minus(), node) if value < 0 else node
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        # repr() is Python's own exact encoder for a str literal: any text, quotes,
        # backslashes, NULs or lone surrogates included, comes back as the same str.
        return cst.SimpleString(repr(value))
    if isinstance(value, Mapping):
        return cst.Dict(
            [cst.DictElement(literal(_string_key(k)), literal(value[k])) for k in sorted(value, key=_string_key)]
        )
    if isinstance(value, Sequence):
        return cst.List([cst.Element(literal(item)) for item in value])
    raise TypeError(f"no literal for a value of type {type(value).__name__}")


def _string_key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError(f"dict keys in generated code must be strings, not {type(key).__name__}")
    return key


def _float(value: float) -> cst.BaseExpression:
    if math.isfinite(value):
        node: cst.BaseExpression = cst.Float(repr(abs(value)))
        return cst.UnaryOperation(cst.Minus(), node) if math.copysign(1.0, value) < 0 else node
    # nan and inf have no literal; float("nan") is the plain spelling.
    return cst.Call(cst.Name("float"), [cst.Arg(literal(repr(value)))])


# Comments that tools read as instructions; an intention must never turn into one.
_DIRECTIVE = re.compile(r"^\s*(fmt|yapf|type|noqa|pragma|pylint|mypy|pyright|ruff|isort)\s*:|^\s*-\*-|^!", re.IGNORECASE)


def comment_lines(text: str) -> list[cst.EmptyLine]:
    """Free text as own-line comments: one per line, non-printable characters escaped."""
    lines = re.split(r"\r\n|\r|\n", text.strip()) if text.strip() else []
    out = []
    for index, line in enumerate(lines):
        shown = "".join(ch if ch.isprintable() else _escape(ch) for ch in line).rstrip()
        if index == 0 and _DIRECTIVE.match(shown):
            shown = "intention: " + shown
        prefix = "# " if index == 0 else "#   "
        out.append(cst.EmptyLine(comment=cst.Comment((prefix + shown).rstrip())))
    return out


def _escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
