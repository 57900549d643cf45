"""Run data found in recorded strings: what becomes a reference, and what is left alone."""

from __future__ import annotations

import pytest

from tracer import Ref, RunData, Template
from tracer._data import text_regex


def _parts(template: Template | None) -> tuple | None:
    return None if template is None else template.parts


@pytest.fixture
def data() -> RunData:
    found = RunData.of(
        {"title": "Printer on fire", "size": "l", "email": "ada@example.com", "quantity": 2, "who": "Bob", "state": "new"}
    )
    found.define("issue_id", "2", "issue")
    found.define("order_id", "1004", "order")
    return found


def P(name: str) -> Ref:
    return Ref(kind="param", name=name)


def V(name: str) -> Ref:
    return Ref(kind="var", name=name)


N = Ref(kind="number")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("The ticket “Printer on fire” was added successfully.", ("The ticket “", P("title"), "” was added successfully.")),
        ("Printer on fire", (P("title"),)),
        ("l", (P("size"),)),  # a short value is found when it is the whole string...
        ("Size l", None),  # ...never inside a longer one
        ("2", (P("quantity"),)),
        ("Page 2", None),  # a short id is found only after the word it was named from
        ("Issue #2", ("Issue #", V("issue_id"))),
        ("issue2", ("issue", V("issue_id"))),
        ("/admin/issues/2/change/", ("/admin/issues/", V("issue_id"), "/change/")),
        ("Order 1004 placed", ("Order ", V("order_id"), " placed")),
        ("Invoice 10045", None),  # digits glued to more digits are another number
        ("Signed in as ada@example.com.", ("Signed in as ", P("email"), ".")),
        ("Clear completed (1)", ("Clear completed (", N, ")")),
        ("Printer on firefly", None),  # glued to a word: not the value
        ("Sign in", None),
        ("Assigned to Bob", ("Assigned to ", P("who"))),
        ("Add new ticket", None),  # a common short word is far more often just that word
    ],
)
def test_locate_mode(data: RunData, text: str, parts: tuple | None) -> None:
    assert _parts(data.template(text)) == parts


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("msg 2 created issue 2 created", ("msg ", N, " created issue ", V("issue_id"), " created")),
        ("0 items left", None),  # a small count without run data is the point of the check
        ("Order 1005 placed", ("Order ", N, " placed")),  # ids and times change from run to run
        ("Clear completed (3)", ("Clear completed (", N, ")")),
    ],
)
def test_check_mode(data: RunData, text: str, parts: tuple | None) -> None:
    assert _parts(data.template(text, "check")) == parts


def test_fresh_names_come_from_the_url_word() -> None:
    data = RunData.of({"user_id": "x"})
    assert data.fresh_name("users") == "user_id_2"  # a parameter already has the name
    assert data.fresh_name("categories") == "category_id"
    assert data.fresh_name("") == "id"
    assert data.fresh_name("2fa") == "id_2fa_id"


def test_a_short_id_under_another_word_is_not_the_variable(data: RunData) -> None:
    assert data.variable_for("2", "page") is None
    assert data.variable_for("2", "issues") == "issue_id"
    assert data.variable_for("1004", "page") == "order_id"  # long enough to be that record's


def test_text_regex_is_whole_string_and_escaped(data: RunData) -> None:
    template = Template(parts=("a.b (", N, ") ", P("title"), " [x]"))
    pattern = text_regex(template, {"title": "C++ *"}, {})
    assert pattern == r"^a\.b \(\d+\) C\+\+ \* \[x\]$"
    assert text_regex(Template(parts=(V("missing"),)), {}, {}) is None
