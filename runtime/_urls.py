"""URL rebasing (a recording replayed on another origin) and URL pattern matching."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from tracer import Ref, Template, canonical_url

__all__ = ["match_template", "rebase", "template_regex", "url_matches"]


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
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _canonical_pattern(pattern: str) -> str:
    """A glob put in the form `canonical_url` gives a URL: decoded, query sorted by key."""
    base, hashmark, fragment = pattern.partition("#")
    path, question, query = base.partition("?")
    pairs = sorted(parse_qsl(query, keep_blank_values=True), key=lambda kv: kv[0]) if question else []
    text = unquote(path) + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")
    return text + (hashmark + unquote(fragment) if hashmark else "")


def url_matches(url: str, pattern: str) -> bool:
    """`*` matches within a path segment, `**` across; without `*` the URL must be equal.

    Both sides are compared decoded, with query parameters in key order; a fragment that only
    scrolls (`#top`) is ignored, one that routes (`#/items/3`) must match.
    """
    live, wanted = canonical_url(url), _canonical_pattern(pattern)
    if "*" not in pattern:
        return live == wanted or _without_trailing_slash(live) == _without_trailing_slash(wanted)
    return _glob(wanted).match(live) is not None


def _without_trailing_slash(url: str) -> str:
    base, mark, rest = _split_path(url)
    return base.rstrip("/") + mark + rest


def _toggled_trailing_slash(url: str) -> str:
    base, mark, rest = _split_path(url)
    return (base[:-1] if base.endswith("/") else base + "/") + mark + rest


def _split_path(url: str) -> tuple[str, str, str]:
    """(scheme, host and path; '?' or '#' or ''; the rest)."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:cut], url[cut : cut + 1], url[cut + 1 :]


# --- templates (issue 12) ----------------------------------------------------------------------

# Within a path segment, a query value, a fragment's segment.
_SEGMENT = {"path": r"[^/?#&]", "query": r"[^&#]", "fragment": r"[^/?#&]"}


def template_regex(
    template: Template,
    params: Mapping[str, str],
    variables: Mapping[str, str],
    rebase_origin: Callable[[str], str] = lambda text: text,
) -> re.Pattern[str] | None:
    """A regex over `canonical_url` forms; captures are named groups. None when a variable is unknown."""
    out: list[str] = []
    where = "path"
    captured: set[str] = set()
    for index, part in enumerate(template.parts):
        if isinstance(part, str):
            text = rebase_origin(part) if index == 0 else part
            out.append(re.escape(text))
            if "#" in text:
                where = "fragment"
            elif "?" in text and where == "path":
                where = "query"
            continue
        piece = _part_regex(part, where, params, variables, captured)
        if piece is None:
            return None
        out.append(piece)
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def _part_regex(
    part: Ref, where: str, params: Mapping[str, str], variables: Mapping[str, str], captured: set[str]
) -> str | None:
    char = _SEGMENT[where]
    if part.kind == "param":
        value = params.get(part.name or "")
        return None if value is None else re.escape(value)
    if part.kind == "var":
        if part.name in captured:
            return f"(?P={part.name})"  # the same id twice in one URL
        value = variables.get(part.name or "")
        return None if value is None else re.escape(value)
    if part.kind == "capture":
        if part.name in captured:
            return f"(?P={part.name})"
        captured.add(part.name or "")
        return rf"(?P<{part.name}>[\w.~-]+)"  # an id: never a quote or a bracket, so it is safe in a selector
    if part.kind == "number":
        return r"\d+"
    return f"{char}*"


def match_template(url: str, regex: re.Pattern[str]) -> dict[str, str] | None:
    """The captured run variables when `url` matches, else None."""
    live = canonical_url(url)
    for candidate in (live, _toggled_trailing_slash(live)):
        found = regex.match(candidate)
        if found is not None:
            return {k: v for k, v in found.groupdict().items() if v is not None}
    return None
