"""URL rebasing (a recording replayed on another origin) and URL pattern matching."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit, urlunsplit

__all__ = ["rebase", "url_matches"]


def rebase(url: str, recorded_origin_of: str, base_url: str | None) -> str:
    """`url` with the recorded origin swapped for `base_url`'s; other origins are left alone."""
    if not base_url:
        return url
    recorded, target, parts = urlsplit(recorded_origin_of), urlsplit(base_url), urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url  # chrome://, about:, data: … are no site's origin
    if (parts.scheme, parts.netloc) != (recorded.scheme, recorded.netloc):
        return url
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, parts.fragment))


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z", re.S)


def url_matches(url: str, pattern: str) -> bool:
    """`*` matches within a path segment, `**` across; without `*` the URL must be equal."""
    if "*" not in pattern:
        return url == pattern or url.rstrip("/") == pattern.rstrip("/")
    return _glob(pattern).match(url) is not None
