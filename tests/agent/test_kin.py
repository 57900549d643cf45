"""A release may turn a link into a button or a summary: the same control, when the names agree."""

from __future__ import annotations

import pytest

from agent._kin import family, kin
from tracer import Fingerprint


@pytest.mark.parametrize(
    ("tag", "role", "kind", "expected"),
    [
        ("a", "link", None, "activator"),
        ("button", "button", None, "activator"),
        ("summary", None, None, "activator"),
        ("li", "menuitem", None, "activator"),
        ("input", "button", "submit", "activator"),
        ("input", "textbox", "email", "text field"),
        ("input", "searchbox", "search", "text field"),
        ("textarea", "textbox", None, "text field"),
        ("input", "checkbox", "checkbox", None),
        ("div", None, None, None),
    ],
)
def test_family(tag: str, role: str | None, kind: str | None, expected: str | None) -> None:
    assert family(tag, role, kind) == expected


def test_a_show_link_that_became_a_summary_is_kin() -> None:
    recorded = Fingerprint(tag="a", role="link", name="Show details", attributes={"href": "#details"})
    assert kin(recorded, {"tag": "summary", "role": None, "name": "Show details"}, "Open the details")
    assert kin(recorded, {"tag": "button", "role": "button", "name": "Details"}, "Show the details")  # the intention says it
    assert not kin(recorded, {"tag": "button", "role": "button", "name": "Delete"}, "Show the details")
    assert not kin(recorded, {"tag": "input", "role": "checkbox", "name": "Show details", "attributes": {"type": "checkbox"}}, "x")


def test_input_types_are_kin() -> None:
    recorded = Fingerprint(tag="input", role="textbox", name="E-mail", attributes={"type": "text"})
    assert kin(recorded, {"tag": "input", "role": "textbox", "name": "E-mail", "attributes": {"type": "email"}}, "Type it")
    assert not kin(recorded, {"tag": "input", "role": "textbox", "name": "Phone", "attributes": {"type": "tel"}}, "Type it")
