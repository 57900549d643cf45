"""Recorded fingerprints and expected texts filled with this run's values before anything is compared."""

from __future__ import annotations

import re

from runtime import score
from runtime._templates import fingerprint_json, resolve_fingerprint, text_pattern
from tracer import Context, Fingerprint, Ref, Template

TITLE = Ref(kind="param", name="title")
ITEM = Ref(kind="var", name="item_id")
COUNT = Ref(kind="number")


def _recorded() -> Fingerprint:
    return Fingerprint(
        tag="a",
        role="link",
        name="Printer on fire",
        text="Printer on fire",
        attributes={"href": "/ticket/1/", "class": "x"},
        templates={
            "name": Template(parts=(TITLE,)),
            "text": Template(parts=(TITLE,)),
            "attributes.href": Template(parts=("/ticket/", ITEM, "/")),
        },
    )


def test_parameters_and_variables_are_filled_in() -> None:
    resolved = resolve_fingerprint(_recorded(), {"title": "Paper jam"}, {"item_id": "7"})
    assert (resolved.name, resolved.text, resolved.attributes["href"]) == ("Paper jam", "Paper jam", "/ticket/7/")
    assert resolved.templates is None
    live = {"tag": "a", "role": "link", "name": "Paper jam", "text": "Paper jam", "attributes": {"href": "/ticket/7/", "class": "x"}}
    assert score(resolved, live) == 1.0
    assert score(_recorded(), live) < score(resolved, live)  # the recording's own data would count against it


def test_a_variable_not_yet_captured_is_left_out() -> None:
    resolved = resolve_fingerprint(_recorded(), {"title": "Paper jam"}, {})
    assert "href" not in resolved.attributes and resolved.attributes["class"] == "x"


def test_a_counter_takes_the_live_value_only_when_it_has_the_shape() -> None:
    recorded = Fingerprint(tag="button", name="Clear completed (1)",
                           templates={"name": Template(parts=("Clear completed (", COUNT, ")"))})
    assert resolve_fingerprint(recorded, {}, {}).name == "Clear completed (1)"
    assert resolve_fingerprint(recorded, {}, {}, {"name": "Clear completed (12)"}).name == "Clear completed (12)"
    assert resolve_fingerprint(recorded, {}, {}, {"name": "Clear all"}).name == "Clear completed (1)"


def test_a_counter_reaches_the_page_side_check_as_a_pattern() -> None:
    recorded = Fingerprint(tag="button", role="button", name="Clear completed (1)",
                           templates={"name": Template(parts=("Clear completed (", COUNT, ")"))})
    resolved = resolve_fingerprint(recorded, {}, {})
    data = fingerprint_json(resolved)
    assert data is not None and data["name"] == "Clear completed (1)" and "templates" not in data
    assert re.fullmatch(data["pat"]["name"], "Clear completed (12)") and not re.fullmatch(data["pat"]["name"], "Clear all")


def test_the_container_text_of_a_repeated_row_is_this_runs_value() -> None:
    recorded = Fingerprint(
        tag="button", role="button", name="Cancel", context=Context(container="tr", text="Order 1002"),
        templates={"context": Template(parts=(Ref(kind="param", name="order"),))},
    )
    resolved = resolve_fingerprint(recorded, {"order": "Order 1003"}, {})
    assert resolved.context is not None and resolved.context.text == "Order 1003"
    unknown = recorded.model_copy(update={"templates": {"context": Template(parts=("Order ", ITEM))}})
    assert resolve_fingerprint(unknown, {}, {}).context is None, "a row no value of this run names cannot be told apart"


def test_text_pattern() -> None:
    assert text_pattern(Template(parts=("Item ", ITEM)), {}, {"item_id": "3"}) == "Item 3"
    pattern = text_pattern(Template(parts=("msg ", COUNT, " created issue ", ITEM)), {}, {"item_id": "3"})
    assert isinstance(pattern, re.Pattern) and pattern.fullmatch("msg 14 created issue 3")
    assert not pattern.fullmatch("msg 14 created issue 4")
