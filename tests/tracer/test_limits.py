"""Input bounds: depth, expanded size (YAML aliases share objects), integers; JSON parsing failures as one line."""

from __future__ import annotations

import pytest

from tracer import (
    MAX_DEPTH,
    ShapeError,
    check_shape,
    loads_json,
    origin_of,
    terminal_safe,
    terminal_safe_json,
)
from tracer._limits import MAX_NODES


def test_depth_size_and_numbers_are_bounded() -> None:
    deep: object = "leaf"
    for _ in range(MAX_DEPTH + 1):
        deep = {"a": deep}
    with pytest.raises(ShapeError, match=r"f.json: nested deeper than 64 levels at a\.a\.a"):
        check_shape(deep, "f.json")
    shared: list[object] = ["lol"] * 10
    for _ in range(6):
        shared = [shared] * 10  # what YAML aliases build: one object, referenced ten times at each level
    with pytest.raises(ShapeError, match=f"more than {MAX_NODES} values"):
        check_shape(shared, "w.yaml")
    loop: list[object] = []
    loop.append(loop)  # a recursive alias
    with pytest.raises(ShapeError, match="nested deeper"):
        check_shape(loop, "r.yaml")
    with pytest.raises(ShapeError, match="integer out of range at x"):
        check_shape({"x": 2**70}, "i.json")
    check_shape({"ok": [1, 2.5, True, None, "text"] * 100}, "fine.json")


@pytest.mark.parametrize(
    ("text", "problem"),
    [("[" * 100_000 + "]" * 100_000, "nested deeper"), ("9" * 5000, "more than 4300 digits"), ("{", "not valid JSON")],
)
def test_json_that_breaks_the_parser_is_one_clear_line(text: str, problem: str) -> None:
    with pytest.raises(ShapeError, match=problem) as info:
        loads_json(text, "in.json")
    assert str(info.value).startswith("in.json: ") and "\n" not in str(info.value)


def test_origins() -> None:
    assert origin_of("HTTPS://User:pw@Bank.Example:443/a?b") == "https://bank.example"
    assert origin_of("http://127.0.0.1:8765/x") == "http://127.0.0.1:8765"
    assert origin_of("about:blank") is None and origin_of("data:text/html,x") is None and origin_of("http://[") is None


def test_terminal_text() -> None:
    assert terminal_safe("a\x1b[2J\x9b\u202e\ud800\tb\nc") == "a\\x1b[2J\\x9b\\u202e\\ud800\tb\nc"
    assert terminal_safe("a\nb", newlines=False) == "a\\nb"
    assert terminal_safe_json('{"t": "\x1b\x9b"}') == '{"t": "\\u001b\\u009b"}'
