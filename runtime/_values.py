"""Run-time values as the page takes them: secrets unwrapped, booleans spelled as forms spell them."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

__all__ = ["Text", "plain"]

Text = str | SecretStr | int | float | bool
"""A value a script passes to an action: a literal, a parameter, or a secret parameter."""


def plain(value: Any) -> str:
    """The text to type or choose for `value`."""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
