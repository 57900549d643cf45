"""The response models: what the model may answer, checked against the page it was shown."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from agent import Decision

CONTEXT = {
    "elements": {1, 2, 3},
    "parameters": {"email": False, "password": True},
    "outputs": {"history": {"type": "object", "required": ["total"], "properties": {"total": {"type": "number"}}}},
}


def _decide(action: dict) -> Decision:
    return Decision.model_validate({"intention": "do it", "action": action}, context=CONTEXT)


def test_a_valid_click() -> None:
    assert _decide({"kind": "click", "element": 2}).action.element == 2  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"kind": "click", "element": 9}, "element [9] does not exist; the page lists elements 1..3"),
        ({"kind": "fill", "element": 1}, "give exactly one of a literal value or `parameter`"),
        ({"kind": "fill", "element": 1, "text": "x", "parameter": "email"}, "exactly one"),
        ({"kind": "fill", "element": 1, "parameter": "user"}, "unknown parameter 'user'; the task's parameters are: email, password"),
        ({"kind": "goto", "parameter": "password"}, "secret parameter 'password' can only be typed"),
        ({"kind": "extract", "output": "orders", "fields": [{"name": "total", "element": 1}]}, "unknown output 'orders'"),
        ({"kind": "extract", "output": "history", "fields": [{"name": "sum", "element": 1}]}, "requires the fields ['total']"),
        ({"kind": "extract", "output": "history", "fields": [{"name": "total", "element": 1, "columns": {"a": 2}}]}, "need many=true"),
        ({"kind": "jump", "element": 1}, "does not match any of the expected tags"),
        ({"kind": "click", "element": 1, "force": True}, "Extra inputs are not permitted"),
    ],
)
def test_invalid_answers_name_the_problem(action: dict, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        _decide(action)
    assert message in str(info.value)


def test_intentions_become_one_line() -> None:
    decision = Decision.model_validate(
        {"intention": "Open\nthe  menu\n# fmt: off", "action": {"kind": "hover", "element": 1}}, context=CONTEXT
    )
    assert decision.intention == "Open the menu # fmt: off"
