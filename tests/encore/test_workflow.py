"""Workflow definitions: what is accepted, and errors that name the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from encore import WorkflowError, load_workflow, parse_workflow
from encore._templates import TemplateProblem, evaluate, render

LOGIN = {"label": "login", "kind": "login", "username": "email", "password": "password"}
PARAMS = [{"name": "email"}, {"name": "password", "secret": True}]


def test_every_block_kind_parses(tmp_path: Path) -> None:
    text = """
id: shop
cache_key: "{{ site }}"
parameters: [{name: site}, {name: email}, {name: password, secret: true}]
blocks:
  - {label: open, kind: goto, url: "{{ site }}/login"}
  - {label: login, kind: login, username: email, password: password}
  - label: history
    kind: extraction
    goal: Read the orders
    schema: {type: object}
  - label: branch
    kind: conditional
    if: "outputs.history | length > 0"
    then: [{label: pause, kind: wait, seconds: 0.1}]
    else: [{label: ask, kind: conditional, question: "Is there a banner?", then: []}]
  - {label: each, kind: for_loop, over: "[1, 2]", blocks: [{label: note, kind: code, code: "pass"}]}
  - {label: act, kind: action, goal: Click around}
"""
    path = tmp_path / "shop.yaml"
    path.write_text(text)
    workflow = load_workflow(path)
    assert [b.kind for b in workflow.blocks] == ["goto", "login", "extraction", "conditional", "for_loop", "action"]
    assert workflow.blocks[2].output_name == "history"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"id": "x", "blocks": []}, "at blocks: List should have at least 1 item"),
        ({"id": "x", "blocks": [{"label": "a", "kind": "teleport"}]}, "at blocks.0: Input tag 'teleport'"),
        ({"id": "x", "blocks": [{"label": "a", "kind": "task"}]}, "at blocks.0.task.goal: Field required"),
        ({"id": "x", "blocks": [{"label": "a b", "kind": "task", "goal": "g"}]}, "a label starts with a letter"),
        (
            {"id": "x", "blocks": [{"label": "a", "kind": "task", "goal": "g"}, {"label": "a", "kind": "wait"}]},
            "block label 'a' is used twice",
        ),
        ({"id": "x", "parameters": PARAMS[:1], "blocks": [LOGIN]}, "password parameter 'password' is not declared"),
        (
            {"id": "x", "parameters": [{"name": "email"}, {"name": "password"}], "blocks": [LOGIN]},
            "password parameter 'password' must be secret",
        ),
        ({"id": "x", "blocks": [{"label": "c", "kind": "conditional"}]}, "exactly one of `if` (an expression) or `question`"),
        ({"id": "../x", "blocks": [{"label": "a", "kind": "wait"}]}, "at id: String should match pattern"),
    ],
)
def test_invalid_definitions_name_the_field(data: dict, message: str) -> None:
    with pytest.raises(WorkflowError) as info:
        parse_workflow(data, "wf.yaml")
    assert str(info.value).startswith("wf.yaml: invalid workflow:")
    assert message in str(info.value)


def test_unreadable_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(WorkflowError, match="cannot read"):
        load_workflow(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed")
    with pytest.raises(WorkflowError, match="not valid YAML"):
        load_workflow(bad)


def test_templates_are_strict_and_sandboxed() -> None:
    assert render("{{ site }}/login", {"site": "http://x"}, "url") == "http://x/login"
    assert evaluate("params.n > 2", {"params": {"n": 3}}, "if") is True
    with pytest.raises(TemplateProblem, match="goal: 'nope' is undefined"):
        render("{{ nope }}", {}, "goal")
    with pytest.raises(TemplateProblem, match="if:"):
        evaluate("().__class__.__base__.__subclasses__()", {}, "if")
