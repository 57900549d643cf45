"""Bounds on parsed input (traces, workflows, recordings, parameters) before anything walks it.

A 500-byte YAML file can expand, through aliases, into gigabytes; a JSON array nested 100 000 deep
or an integer of 5000 digits breaks recursive code far from where it was read. Every document is
measured here once, iteratively and with a budget, so the error names the file and the place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

__all__ = [
    "MAX_DEPTH", "MAX_INTEGER", "MAX_NODES", "MAX_TEXT", "ShapeError", "check_shape", "loads_json", "number_problem",
]

MAX_DEPTH = 64
"""Nesting levels: a trace needs about 12, a JSON schema for extraction a few more."""
MAX_NODES = 200_000
"""Values, counting every repetition an alias makes."""
MAX_TEXT = 5_000_000
"""Characters of text, counting repetitions."""
MAX_INTEGER = 2**63
"""Integers beyond ±2**63 are no timeout, count or value a browser task needs."""


class ShapeError(ValueError):
    """The document is too deep, too large once expanded, or holds an absurd number."""


def check_shape(data: Any, source: str) -> None:
    """Raise `ShapeError` naming `source` and the path when `data` exceeds the bounds above."""
    nodes = 0
    text = 0
    stack: list[tuple[Any, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        nodes += 1
        where = ".".join(path) or "(top level)"
        if len(path) > MAX_DEPTH:
            raise ShapeError(f"{source}: nested deeper than {MAX_DEPTH} levels at {_short(where)}")
        if nodes > MAX_NODES:
            raise ShapeError(f"{source}: more than {MAX_NODES} values (YAML aliases expand to too much data)")
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            if not -MAX_INTEGER <= value <= MAX_INTEGER:
                raise ShapeError(f"{source}: integer out of range at {_short(where)}")
        elif isinstance(value, str):
            text += len(value)
            if text > MAX_TEXT:
                raise ShapeError(f"{source}: more than {MAX_TEXT} characters of text (YAML aliases expand too much)")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                text += len(key) if isinstance(key, str) else 0
                stack.append((item, (*path, str(key)[:40])))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, (*path, str(index))) for index, item in enumerate(value))


def loads_json(text: str | bytes, source: str) -> Any:
    """`json.loads`, with every way it can fail (syntax, 100 000 nested brackets, a 5000-digit number) and
    the shape check turned into one `ShapeError` line naming `source`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ShapeError(f"{source}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise ShapeError(f"{source}: nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # Python refuses integers of more than 4300 digits
        raise ShapeError(f"{source}: not usable JSON: {number_problem(exc)}") from None
    check_shape(data, source)
    return data


def number_problem(exc: ValueError) -> str:
    """A parser's complaint about a huge integer, in the user's words rather than Python's."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return "a number has more than 4300 digits" if "4300" in text or "int_max_str_digits" in text else text


def _short(where: str) -> str:
    return where if len(where) <= 120 else where[:60] + "…" + where[-50:]
