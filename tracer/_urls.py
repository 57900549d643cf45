"""URLs as patterns: ids, parameters and created records generalised, queries by key, routing fragments kept."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

from ._data import RunData, join_parts, stem_of
from ._model import Ref, Template, UrlMatches

__all__ = ["canonical_url", "is_routing_fragment", "url_condition", "url_pattern", "url_template"]

_UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
_HASH = re.compile(r"(?=[a-f]*\d)(?=\d*[a-f])[0-9a-f]{7,}|(?=[A-F]*\d)(?=\d*[A-F])[0-9A-F]{7,}")
# A random token: long, letters and digits mixed, e.g. base62 ids and slugs from ULIDs.
_TOKEN = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}")
_WORD_AND_NUMBER = re.compile(r"([A-Za-z][A-Za-z_-]{2,})(\d+)")
_DIGITS = re.compile(r"\d+")


def is_routing_fragment(fragment: str) -> bool:
    """`#/items/3` or `#!/inbox` route a single-page app; `#top` or `#section-2` only scroll."""
    return fragment.startswith(("/", "!")) or "/" in fragment


def canonical_url(url: str) -> str:
    """The form URL patterns are matched in: decoded path, query sorted by key, anchors dropped."""
    parts = urlsplit(url)
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True), key=lambda kv: kv[0])
    base = urlunsplit((parts.scheme, parts.netloc, unquote(parts.path), "", ""))
    query = "?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else ""
    fragment = unquote(parts.fragment)
    return base + query + (f"#{fragment}" if fragment and is_routing_fragment(fragment) else "")


def is_id_like(value: str) -> bool:
    """Digits of any length, a UUID, a hash, or a long random token: a record's identity, not a route."""
    return bool(
        value.isdigit() or _UUID.fullmatch(value) or _HASH.fullmatch(value) or _TOKEN.fullmatch(value)
    )


def url_pattern(url: str) -> str:
    """The URL as a glob for `url_matches`: ids and prose in query values become `*`, anchors go."""
    parts = urlsplit(url)
    path = "/".join(_glob_segment(seg) for seg in parts.path.split("/"))
    pairs = []
    for pair in parts.query.split("&") if parts.query else []:
        key, eq, value = pair.partition("=")
        prose = "+" in value or "%20" in value
        pairs.append(f"{key}{eq}{'*' if prose or is_id_like(unquote(value)) else _glob_segment(value)}")
    fragment = ""
    if parts.fragment and is_routing_fragment(parts.fragment):
        fragment = "/".join(_glob_segment(seg) for seg in parts.fragment.split("/"))
    return urlunsplit((parts.scheme, parts.netloc, path, "&".join(pairs), fragment))


def _glob_segment(segment: str) -> str:
    if is_id_like(unquote(segment)):
        return "*"
    return _DIGITS.sub("*", segment)


def url_condition(url: str, data: RunData | None) -> UrlMatches:
    """What the URL after an action must be on replay; with run data, a template that captures ids."""
    pattern = url_pattern(url)
    if data is None:
        return UrlMatches(pattern=pattern)
    template = url_template(url, data, capture=True)
    return UrlMatches(pattern=pattern, template=template if template.refs() else None)


def url_template(url: str, data: RunData, *, capture: bool) -> Template:
    """`url` (canonical form) with run data as references; with `capture`, new ids become run variables.

    Without `capture` (a URL the recording itself chose, like a goto), only parameters and known
    variables are references and everything else stays as it was.
    """
    builder = _UrlBuilder(data, capture)
    parts = urlsplit(url)
    out: list[str | Ref] = []
    path = unquote(parts.path)
    origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
    prefix = _url_param(data, origin + path)
    if prefix is not None:
        name, value = prefix
        out.append(Ref(kind="param", name=name))
        path = (origin + path)[len(value) :]
    else:
        out.append(origin)
    out += builder.path(path)
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True), key=lambda kv: kv[0])
    for index, (key, value) in enumerate(pairs):
        out.append(("?" if index == 0 else "&") + f"{key}=")
        out += builder.value(value, key)
    fragment = unquote(parts.fragment)
    if fragment and is_routing_fragment(fragment):
        route, question, query = fragment.partition("?")
        out.append("#")
        out += builder.path(route)
        out.append(question)
        for index, pair in enumerate(query.split("&") if query else []):
            key, eq, value = pair.partition("=")
            out.append(("&" if index else "") + key + eq)
            out += builder.value(value, key)
    builder.commit()
    return join_parts(out)


def _url_param(data: RunData, url: str) -> tuple[str, str] | None:
    """A parameter holding the start of the URL (a site address), when one does."""
    for name, value in sorted(data.params.items(), key=lambda kv: -len(kv[1])):
        if "://" in value and url.startswith(value):
            rest = url[len(value) :]
            if not rest or rest[0] in "/?#" or value.endswith("/"):
                return name, value
    return None


class _UrlBuilder:
    """Turns segments and values into parts; captures are defined only once the whole URL is done."""

    def __init__(self, data: RunData, capture: bool) -> None:
        self.data = data
        self.capture = capture
        self.captured: dict[str, tuple[str, str]] = {}  # value -> (name, stem)

    def path(self, path: str) -> list[str | Ref]:
        out: list[str | Ref] = []
        previous = ""
        for index, segment in enumerate(path.split("/")):
            if index:
                out.append("/")
            out += self.segment(segment, previous)
            if segment and not is_id_like(segment) and not segment.isdigit():
                previous = segment
        return out

    def segment(self, segment: str, previous: str) -> list[str | Ref]:
        if not segment:
            return []
        known = self._known(segment, previous, in_path=True)
        if known is not None:
            return [known]
        if not self.capture:
            return [segment]  # a URL the recording chose: only run data is generalised
        if is_id_like(segment):
            return [self._new(segment, previous)]
        word = _WORD_AND_NUMBER.fullmatch(segment)
        if word:  # issue2, page-3: the word names the record
            stem = word.group(1).rstrip("_-")
            return [word.group(1), self._known(word.group(2), stem) or self._new(word.group(2), stem)]
        return self._within(segment)

    def value(self, value: str, key: str) -> list[str | Ref]:
        if not value:
            return []
        known = self._known(value, key)
        if known is not None:
            return [known]
        if not self.capture:
            return [value]
        if is_id_like(value):
            return [self._new(value, key)]
        within = self.data.template(value, "locate")
        if within is not None and within.refs() and not any(r.kind == "number" for r in within.refs()):
            return list(within.parts)
        if any(ch.isspace() for ch in value):
            return [Ref(kind="any")]  # a message or a search: prose, not identity
        return self._within(value)

    def _within(self, text: str) -> list[str | Ref]:
        """Parameters inside the text, and any other number generalised."""
        template = self.data.template(text, "locate")
        parts = list(template.parts) if template is not None and template.refs() else [text]
        out: list[str | Ref] = []
        for part in parts:
            if isinstance(part, Ref):
                out.append(part if part.kind != "number" else Ref(kind="any"))
                continue
            at = 0
            for digits in _DIGITS.finditer(part):
                out += [part[at : digits.start()], Ref(kind="any")]
                at = digits.end()
            out.append(part[at:])
        return out

    def _known(self, value: str, stem: str, *, in_path: bool = False) -> Ref | None:
        # A short number in a path is a record's id far more often than a typed quantity.
        short_number = in_path and value.isdigit() and len(value) < 3
        param = None if short_number else next((n for n, v in sorted(self.data.params.items()) if v == value), None)
        if param is not None:
            return Ref(kind="param", name=param)
        if value in self.captured:
            return Ref(kind="var", name=self.captured[value][0])
        if not (value.isdigit() or is_id_like(value)):
            return None
        name = self.data.variable_for(value, stem)
        return Ref(kind="var", name=name) if name is not None else None

    def _new(self, value: str, stem: str) -> Ref:
        name = self.data.fresh_name(stem or "id")
        taken = {n for n, _ in self.captured.values()}
        base, n = name, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        self.captured[value] = (name, stem)
        return Ref(kind="capture", name=name)

    def commit(self) -> None:
        for value, (name, stem) in self.captured.items():
            self.data.define(name, value, stem_of(stem))

