"""URLs as patterns and templates: ids of any length, queries by key, routing fragments, captures."""

from __future__ import annotations

import pytest

from tracer import Ref, RunData, canonical_url, is_routing_fragment, url_condition, url_pattern, url_template


@pytest.mark.parametrize(
    ("url", "pattern"),
    [
        ("http://h/confirmation?order=1004", "http://h/confirmation?order=*"),
        ("http://h/orders/12345/edit?tab=notes", "http://h/orders/*/edit?tab=notes"),
        ("http://h/admin/auth/user/2/change/", "http://h/admin/auth/user/*/change/"),  # short ids too
        ("http://h/issue2?@ok_message=msg%202%20created&@template=item", "http://h/issue*?@ok_message=*&@template=item"),
        ("http://h/dashboard#top", "http://h/dashboard"),  # an anchor only scrolls
        ("http://h/app/#/items/3", "http://h/app/#/items/*"),  # a routing fragment is the page
        ("http://h/f/550e8400-e29b-41d4-a716-446655440000/", "http://h/f/*/"),
        ("http://h/commit/9fceb02d0ae598e95dc970b74767f19372d61af8", "http://h/commit/*"),
    ],
)
def test_url_pattern(url: str, pattern: str) -> None:
    assert url_pattern(url) == pattern


def test_fragments() -> None:
    assert is_routing_fragment("/items/3") and is_routing_fragment("!/inbox")
    assert not is_routing_fragment("top") and not is_routing_fragment("section-2")
    assert canonical_url("http://h/a%20b?z=1&a=2#top") == "http://h/a b?a=2&z=1"
    assert canonical_url("http://h/#/items/3") == "http://h/#/items/3"


def test_template_captures_ids_and_refers_to_them_after() -> None:
    data = RunData.of({"site": "http://h:8000/desk", "slug": "printer-on-fire"})
    first = url_template("http://h:8000/desk/admin/ticket/4/change/", data, capture=True)
    assert first.parts == (Ref(kind="param", name="site"), "/admin/ticket/", Ref(kind="capture", name="ticket_id"), "/change/")
    assert data.variables == {"ticket_id": "4"}
    later = url_template("http://h:8000/desk/admin/ticket/4/history/?tag=printer-on-fire", data, capture=True)
    assert later.parts == (
        Ref(kind="param", name="site"), "/admin/ticket/", Ref(kind="var", name="ticket_id"), "/history/?tag=",
        Ref(kind="param", name="slug"),
    )


def test_query_values_by_kind_and_order() -> None:
    data = RunData.of({})
    template = url_template("http://h/issue2?@template=item&@ok_message=msg%202%20created", data, capture=True)
    # Keys are sorted (replay sorts the live query the same way); prose matches anything.
    assert template.parts == (
        "http://h/issue", Ref(kind="capture", name="issue_id"), "?@ok_message=", Ref(kind="any"), "&@template=item",
    )


def test_a_goto_keeps_what_the_recording_chose() -> None:
    data = RunData.of({"site": "http://h"})
    data.define("user_id", "4", "user")
    template = url_template("http://h/user/4/edit/5/", data, capture=False)
    assert template.parts == (Ref(kind="param", name="site"), "/user/", Ref(kind="var", name="user_id"), "/edit/5/")


def test_url_condition_has_a_template_only_with_run_data() -> None:
    assert url_condition("http://h/dashboard", RunData()).template is None
    assert url_condition("http://h/dashboard", None).pattern == "http://h/dashboard"
    assert url_condition("http://h/orders/7", RunData()).template is not None
