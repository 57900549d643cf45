from __future__ import annotations

import pytest

from runtime import rebase, url_matches


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
