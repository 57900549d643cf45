from __future__ import annotations

import pytest

from runtime import rebase, url_matches
from runtime._urls import match_template, template_regex
from tracer import RunData, url_template


def test_rebase_swaps_only_the_recorded_origin() -> None:
    start = "http://127.0.0.1:8765/login"
    assert rebase("http://127.0.0.1:8765/a?b=1#c", start, "http://127.0.0.1:9000") == "http://127.0.0.1:9000/a?b=1#c"
    assert rebase("https://other.example/a", start, "http://127.0.0.1:9000") == "https://other.example/a"
    assert rebase("http://127.0.0.1:8765/a", start, None) == "http://127.0.0.1:8765/a"


@pytest.mark.parametrize("url", ["chrome://new-tab-page/", "chrome://settings/", "about:blank", "data:text/html,x"])
def test_browser_pages_are_never_rebased(url: str) -> None:
    # A recording that starts on chrome://new-tab-page must not send its chrome:// steps to --base-url.
    assert rebase(url, "chrome://new-tab-page/", "http://127.0.0.1:9000") == url
    assert rebase(url, "http://127.0.0.1:8765/", "http://127.0.0.1:9000") == url


@pytest.mark.parametrize(
    ("url", "pattern", "expected"),
    [
        ("http://h/dashboard", "**/dashboard", True),
        ("http://h/dashboard/x", "**/dashboard", False),
        ("http://h/confirmation?order=1004", "**/confirmation?order=*", True),
        ("http://h/a/b", "http://h/*", False),
        ("http://h/a", "http://h/a/", True),
        ("http://h/a", "http://h/b", False),
    ],
)
def test_url_matches(url: str, pattern: str, expected: bool) -> None:
    assert url_matches(url, pattern) is expected


@pytest.mark.parametrize(
    ("url", "pattern", "expected"),
    [
        ("http://h/dashboard#top", "http://h/dashboard", True),  # an in-page anchor is not a different page
        ("http://h/#/items/3", "http://h/#/items/*", True),
        ("http://h/#/users/3", "http://h/#/items/*", False),  # a routing fragment is
        ("http://h/#/items/3", "http://h/", False),
        ("http://h/a?tab=notes&order=5", "http://h/a?order=*&tab=notes", True),  # query by key, any order
        ("http://h/a?order=5", "http://h/a?order=*&tab=notes", False),
        ("http://h/caf%C3%A9/", "http://h/café/", True),
    ],
)
def test_url_matches_fragments_and_queries(url: str, pattern: str, expected: bool) -> None:
    assert url_matches(url, pattern) is expected


def test_template_matches_and_captures() -> None:
    data = RunData.of({"site": "http://127.0.0.1:8000"})
    template = url_template("http://127.0.0.1:8000/issue2?@template=item&@ok_message=msg%202%20created", data, capture=True)
    regex = template_regex(template, {"site": "http://127.0.0.1:9000"}, {})
    assert regex is not None
    assert match_template("http://127.0.0.1:9000/issue17?@ok_message=msg+17+created&@template=item", regex) == {"issue_id": "17"}
    assert match_template("http://127.0.0.1:9000/issue17?@template=other", regex) is None
    assert match_template("http://127.0.0.1:8000/issue17?@template=item&@ok_message=x", regex) is None  # the site changed


def test_template_refers_to_captured_variables_and_rebases() -> None:
    data = RunData()
    template = url_template("http://127.0.0.1:8000/user/4/change/", data, capture=True)
    later = url_template("http://127.0.0.1:8000/user/4/history/", data, capture=True)

    def moved(text: str) -> str:
        return rebase(text, "http://127.0.0.1:8000/", "http://10.0.0.2:81")

    first = template_regex(template, {}, {}, moved)
    assert first is not None and match_template("http://10.0.0.2:81/user/12/change", first) == {"user_id": "12"}
    second = template_regex(later, {}, {"user_id": "12"}, moved)
    assert second is not None
    assert match_template("http://10.0.0.2:81/user/12/history/#top", second) == {}
    assert match_template("http://10.0.0.2:81/user/13/history/", second) is None  # another record
    assert template_regex(later, {}, {}) is None  # the variable was never captured
    # A capture never takes a quote or a bracket: the value may go into a CSS selector later.
    assert match_template('http://127.0.0.1:8000/user/4"]/change/', template_regex(template, {}, {})) is None
