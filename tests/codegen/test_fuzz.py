"""Whole-trace fuzzing: hostile text in every text field of a trace never becomes code.

Each example compiles a trace whose every free-text field holds a hostile string, and the same trace
with each of them replaced by "x". Both outputs must parse and be black-stable, every hostile string
must come back exactly as a string constant, and the two syntax trees must be identical once string
constants are blanked: whatever the strings held, they changed no code.
"""

from __future__ import annotations

import ast
import io
import tokenize
from typing import Any

import black
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen import compile_trace
from codegen._format import BLACK_MODE
from codegen._module import HEADER
from tracer import Trace

FRAGMENTS = ['"""', "'''", '"', "'", "\\", "\n", "\r\n", "\x00", "\t", "\u2028", "#", "# fmt: off", "\\N{BULLET}",
             "{x}", "%s", "'); import os; os.system('id') #", '"]}) ; exit() #', "\\x00", "é", "😀", "\x1b[2J",
             # Encoding declarations, and what can start a new line before one (see tests/security/test_header.py).
             "coding:utf-7", "# -*- coding: latin-1 -*-", "coding=unicode_escape", "\ufeff", "\x0c", "\r", "\x85",
             "+AAo-import os+AAo-", "\\nimport os\\n"]

# Lone surrogates are not text: the IR refuses them (see the last test), so they are not generated here.
_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6)
hostile = st.lists(st.sampled_from(FRAGMENTS) | _text, min_size=1, max_size=6).map("".join)

# Every place a trace carries text that reaches the generated module (step ids and parameter names have
# a validated shape: the IR refuses anything else, see tests/tracer/test_model.py).
SLOTS = ("title", "url", "intention", "fill", "css", "text", "role_name", "fp_name", "fp_text", "fp_attr",
         "ancestor", "option", "assert_text", "summary", "description", "default", "label",
         "output", "field", "schema_title", "pattern")


def _trace(s: dict[str, str]) -> dict[str, Any]:
    target = {
        "candidates": [
            {"strategy": "css", "value": s["css"]},
            {"strategy": "text", "value": s["text"], "exact": True},
            {"strategy": "role", "value": "button", "name": s["role_name"]},
        ],
        "fingerprint": {"tag": "button", "name": s["fp_name"], "text": s["fp_text"],
                        "attributes": {"id": s["fp_attr"]}, "ancestors": [s["ancestor"]]},
    }
    steps = [
        {"id": "g1", "action": {"kind": "goto", "url": s["url"]}, "intention": s["intention"]},
        {"id": "f1", "action": {"kind": "fill", "target": target, "value": s["fill"]},
         "intention": s["intention"], "postconditions": [{"kind": "url", "pattern": s["pattern"]}]},
        {"id": "c1", "action": {"kind": "select_option", "target": target, "options": [s["option"]]}, "intention": "o"},
        {"id": "c2", "action": {"kind": "fill", "target": target, "value": {"kind": "param", "name": "who"}},
         "intention": "p"},
        {"id": "c3", "action": {"kind": "assert", "condition": {"kind": "element_text", "target": target,
                                                                "text": s["assert_text"]}}, "intention": "a"},
        {"id": "c4", "action": {"kind": "extract", "output": s["output"], "fields": [{"name": s["field"], "target": target}],
                                "json_schema": {"type": "object", "title": s["schema_title"]}}, "intention": "e"},
        {"id": "c5", "action": {"kind": "complete", "summary": s["summary"]}, "intention": s["intention"]},
    ]
    return {
        "id": "fuzz",
        "title": s["title"],
        "start_url": "http://127.0.0.1/",
        "parameters": [{"name": "who", "description": s["description"], "default": s["default"]}],
        "blocks": [{"label": s["label"], "steps": steps}],
    }


def _skeleton(source: str) -> str:
    """The syntax tree with string constants blanked and block functions (named after labels) renamed."""
    tree = ast.parse(source)
    blocks = {n.name for n in tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name != "run"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
        elif isinstance(node, ast.AsyncFunctionDef) and node.name in blocks:
            node.name = "block_function"
        elif isinstance(node, ast.Name) and node.id in blocks:
            node.id = "block_function"
    return ast.dump(tree)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({slot: hostile for slot in SLOTS}))
def test_hostile_text_in_every_field_never_becomes_code(strings: dict[str, str]) -> None:
    trace = Trace.model_validate(_trace(strings))
    benign = Trace.model_validate(_trace({slot: "x" for slot in SLOTS}))
    source = compile_trace(trace).source
    reference = compile_trace(benign).source

    tree = ast.parse(source)
    assert black.format_str(source, mode=BLACK_MODE) == source
    assert tuple(source.split("\n", 2)[:2]) == HEADER  # comments hold trace text only from line 3 on
    assert tokenize.detect_encoding(io.BytesIO(source.encode("utf-8", "surrogatepass")).readline)[0] == "utf-8"
    constants = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    for slot in SLOTS:
        if slot not in ("intention", "title", "label"):  # those three are comments (labels also a literal)
            assert strings[slot] in constants, slot
    assert strings["label"] in constants
    assert _skeleton(source) == _skeleton(reference)


def test_a_lone_surrogate_is_refused_with_the_field_named() -> None:
    import json

    import pytest

    from tracer import TraceError, parse_trace

    data = _trace({slot: "x" for slot in SLOTS})
    text = json.dumps(data).replace('"value": "x"', '"value": "\\ud800"', 1)  # the first candidate's selector
    with pytest.raises(TraceError, match=r"at blocks\.0\.steps\.1\.action\.fill\.target\.candidates\.0\.value: "):
        parse_trace(text, "bad.json")
