"""Templates become f-strings over `params`/`steps.vars` or compiled patterns, and evaluate to the right text."""

from __future__ import annotations

import re
from types import SimpleNamespace

import black
import libcst as cst
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codegen import compile_trace
from codegen._format import BLACK_MODE
from codegen._template import TemplateUse, template_expression
from tracer import Ref, Template, trace_from_data

from .test_fuzz import _skeleton, hostile


def _code(template: Template, use: TemplateUse | None = None) -> str:
    return cst.Module([]).code_for_node(template_expression(template, use))


def _evaluate(code: str, params: dict[str, object], variables: dict[str, str]) -> object:
    scope = {"params": SimpleNamespace(**params), "steps": SimpleNamespace(vars=SimpleNamespace(**variables)), "re": re}
    return eval(code, scope)  # the code under test: generated, then run as a script would run it


def test_readable_forms() -> None:
    title = Ref(kind="param", name="title")
    assert _code(Template(parts=("The ticket “", title, "” was added."))) == 'f"The ticket “{params.title}” was added."'
    assert _code(Template(parts=(title,)), TemplateUse(string_params=frozenset({"title"}))) == "params.title"
    assert _code(Template(parts=(title,))) == 'f"{params.title}"'  # not known to be a string: formatted
    assert _code(Template(parts=("Item ", Ref(kind="var", name="item_id")))) == 'f"Item {steps.vars.item_id}"'
    use = TemplateUse()
    assert _code(Template(parts=("Clear completed (", Ref(kind="number"), ")")), use) == (
        r're.compile(r"^Clear completed \(\d+\)$")'
    )
    assert use.needs_re


@settings(max_examples=200, deadline=None)
@given(
    texts=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4),
    value=st.text(max_size=12),
)
def test_any_text_round_trips(texts: list[str], value: str) -> None:
    parts: list[str | Ref] = []
    for text in texts:
        parts += [text, Ref(kind="param", name="x")]
    template = Template(parts=tuple(parts))
    code = _code(template)
    compile(code, "<template>", "eval")
    assert _evaluate(code, {"x": value}, {}) == template.render({"x": value}, {})


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=3), value=st.text(max_size=8))
def test_any_text_with_a_counter_matches_itself(texts: list[str], value: str) -> None:
    parts: list[str | Ref] = [Ref(kind="number")]
    for text in texts:
        parts += [text, Ref(kind="var", name="v")]
    pattern = _evaluate(_code(Template(parts=tuple(parts))), {}, {"v": value})
    assert isinstance(pattern, re.Pattern)
    sample = "12" + "".join(t + value for t in texts)
    assert pattern.fullmatch(sample)
    assert not pattern.fullmatch("x" + sample)


def _templated_trace(text: str) -> dict:
    """Every place a template reaches code, holding `text` beside parameters, variables and counters."""
    param, var, number = {"kind": "param", "name": "who"}, {"kind": "var", "name": "item_id"}, {"kind": "number"}
    target = {
        "candidates": [
            {"strategy": "role", "value": "link", "name": "x", "template": {"parts": [text, param]}},
            {"strategy": "text", "value": "x", "template": {"parts": [text, number]}},
            {"strategy": "css", "value": "x", "template": {"parts": [text, var]}},
        ],
        "fingerprint": {"tag": "a", "name": "x", "templates": {"name": {"parts": [text, param]}}},
    }
    capture = {"kind": "url", "pattern": "http://h/*", "template": {"parts": ["http://h/", {"kind": "capture", "name": "item_id"}]}}
    steps = [
        {"id": "g1", "action": {"kind": "goto", "url": "http://h/", "template": {"parts": [text, param]}}, "intention": "g",
         "postconditions": [capture]},
        {"id": "c1", "action": {"kind": "click", "target": target}, "intention": "c"},
        {"id": "a1", "action": {"kind": "assert", "condition": {
            "kind": "element_text", "target": target, "text": "x", "template": {"parts": [text, number, var, param]}}},
         "intention": "a"},
    ]
    return {"id": "t", "start_url": "http://h/", "parameters": [{"name": "who"}], "blocks": [{"label": "b", "steps": steps}]}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile)
def test_hostile_template_text_never_becomes_code(text: str) -> None:
    source = compile_trace(trace_from_data(_templated_trace(text))).source
    plain = compile_trace(trace_from_data(_templated_trace("x"))).source
    assert black.format_str(source, mode=BLACK_MODE) == source
    assert _skeleton(source) == _skeleton(plain)
