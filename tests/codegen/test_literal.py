from __future__ import annotations

import ast

import libcst as cst
from hypothesis import given, settings
from hypothesis import strategies as st

from codegen import comment_lines, literal

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_literal_round_trips_any_value(value: object) -> None:
    code = cst.Module(body=[]).code_for_node(literal(value))
    assert ast.literal_eval(code) == value


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_comment_lines_never_escape_the_comment(text: str) -> None:
    module = cst.Module(body=[cst.SimpleStatementLine([cst.Pass()], leading_lines=comment_lines(text))])
    tree = ast.parse(module.code)
    assert [type(node) for node in tree.body] == [ast.Pass]


def test_hostile_intention_stays_a_comment() -> None:
    lines = comment_lines('x"""\nimport os; os.system("rm -rf /")\x00\u2028end')
    rendered = [line.comment.value for line in lines if line.comment]
    assert rendered[0] == '# x"""'
    assert all(r.startswith("#") for r in rendered)
    assert "\\x00" in rendered[1] and "\\u2028" in rendered[1]


def test_tool_directives_are_neutralised() -> None:
    for text in ("fmt: off", "type: ignore", "noqa: E501", "-*- coding: latin-1 -*-"):
        (line,) = comment_lines(text)
        assert line.comment is not None and line.comment.value.startswith("# intention: ")


def test_non_finite_floats_and_negative_numbers() -> None:
    for value in (float("inf"), float("-inf"), -3, -0.5):
        code = cst.Module(body=[]).code_for_node(literal(value))
        assert eval(code) == value
