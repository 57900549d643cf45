r"""Redaction: every spelling of a secret value, in text, bytes, URLs and JSON-shaped data, replaced.

One `Redactor` knows the spellings a secret takes on its way into an artefact, and their pairs (a JSON
string shown in an HTML report, an HTML excerpt kept in JSON, a URL-encoded body in a JSON trace):

    raw and Unicode NFC/NFD          é  e\u0301
    JSON, ASCII-escaped or not       \"  \\  \u00e9  \u00E9  \/
    Python repr                      \'  \\  \xe9
    URL and form encoding            %7E %7e ~  %2A *  + %20  %C3%A9 %c3%a9
    HTML                             &amp; &#38; &#x26; &lt; &quot; &#39; &apos; &eacute;
    base64 and base64url             of the secret and of `user:secret` (HTTP Basic), and the secret's
                                     bytes inside a larger base64 text at each of the three alignments

Each character of the secret matches any of its spellings, so mixed encodings (a form body where only
some characters were escaped) are found too; a run of whitespace matches any run (pages collapse it).

A secret shorter than 4 characters, or a word as common as `true` or `code`, cannot be found reliably:
replacing it would rewrite ordinary text. Such secrets are `weak`: free text is left alone (the caller
warns), and only the places that certainly hold the value are redacted (a JSON value or a URL parameter
that equals it).
"""

from __future__ import annotations

import base64
import html.entities
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

__all__ = ["MIN_SECRET_LENGTH", "Redactor", "is_weak_secret", "redact"]

MIN_SECRET_LENGTH = 4
# Words too common to replace wherever they appear: literals, and the vocabulary of Encore's own artefacts.
_COMMON = frozenset(
    {
        "true", "false", "null", "none", "nil", "yes", "no", "on", "off", "code",
        "agent", "live", "test", "demo", "pass", "user", "admin", "root", "guest", "login",
        "secret", "password", "passwort", "motdepasse", "qwerty", "letmein", "welcome", "changeme", "default", "example",
        "string", "number", "integer", "boolean", "healed", "failed", "succeeded", "skipped", "click", "fill",
        "goto", "step", "block",
    }
)
_B64_MIN_CORE = 6  # base64 characters a secret's bytes must fill to be searched inside a larger base64 text


def is_weak_secret(value: str) -> bool:
    """True when `value` is too short or too common to be found in text without rewriting ordinary words."""
    core = value.strip()
    return len(core) < MIN_SECRET_LENGTH or core.casefold() in _COMMON


# --- spellings of one character ---------------------------------------------------------------------
# Each encoder spells one character one way; a string is encoded character by character.


def _hex_upper(text: str) -> str:
    return re.sub(r"\\u([0-9a-f]{4})", lambda m: "\\u" + m.group(1).upper(), text)


def _html_named(ch: str) -> str:
    if ch == "'":
        return "&#x27;"  # what html.escape writes; &#39; and &apos; are the decimal and named forms
    name = html.entities.codepoint2name.get(ord(ch))
    return f"&{name};" if name else ch


_ENCODERS: tuple[Callable[[str], str], ...] = (
    lambda ch: json.dumps(ch, ensure_ascii=False)[1:-1],
    lambda ch: json.dumps(ch)[1:-1],
    lambda ch: _hex_upper(json.dumps(ch)[1:-1]),
    lambda ch: "\\/" if ch == "/" else json.dumps(ch)[1:-1],
    lambda ch: "\\\'" if ch == "'" else repr(ch)[1:-1],
    lambda ch: "\\\'" if ch == "'" else ascii(ch)[1:-1],
    lambda ch: quote(ch, safe=""),
    lambda ch: quote(ch, safe="").lower(),
    lambda ch: "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass")),
    lambda ch: "".join(f"%{b:02x}" for b in ch.encode("utf-8", "surrogatepass")),
    lambda ch: "+" if ch == " " else quote(ch, safe="*"),
    _html_named,
    lambda ch: "&apos;" if ch == "'" else _html_named(ch),
    lambda ch: f"&#{ord(ch)};",
    lambda ch: f"&#x{ord(ch):x};",
    lambda ch: f"&#x{ord(ch):X};",
)


def _encode(text: str, encoder: Callable[[str], str]) -> str:
    return "".join(encoder(ch) for ch in text)


@lru_cache(maxsize=1024)
def _spellings(ch: str) -> frozenset[str]:
    """A character's spellings: raw (NFC and NFD), each encoding, and each encoding of an encoding."""
    bases = {ch, unicodedata.normalize("NFD", ch), unicodedata.normalize("NFC", ch)}
    first = bases | {_encode(base, encoder) for base in bases for encoder in _ENCODERS}
    return frozenset(first | {_encode(form, encoder) for form in first for encoder in _ENCODERS})


def _trie(words: Iterable[str]) -> str:
    """A regex matching any of `words`, factored by common prefixes (fast to match, small to build)."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return build(tree)


def _text_pattern(secret: str) -> str:
    """The secret with each character as any of its spellings; whitespace runs as any whitespace run."""
    core = unicodedata.normalize("NFC", secret.strip())
    parts: list[str] = []
    for chunk in re.split(r"(\s+)", core):
        if not chunk:
            continue
        if chunk.isspace():
            parts.append("(?:" + _trie(_spellings(" ") | _spellings("\t") | _spellings("\n")) + ")+")
        else:
            parts.extend(_trie(_spellings(ch)) for ch in chunk)
    return "".join(parts)


def _base64_patterns(secret: str) -> list[str]:
    """The secret's bytes as base64 text: alone, after `user:`, or anywhere inside a longer base64 text."""
    data = secret.encode("utf-8", "surrogatepass")
    forms: set[str] = set()
    for shift in range(3):
        padded = base64.b64encode(b"\0" * shift + data).decode("ascii")
        # Characters whose 6 bits all come from the secret: the first `start` mix in the prefix's bits.
        start = -(-8 * shift // 6)
        whole_end = (8 * (shift + len(data))) // 6  # the last characters mix in what follows, unless it ends
        for core in (padded[start:whole_end], padded[start:]):
            if len(core.rstrip("=")) >= _B64_MIN_CORE:
                forms.add(core)
    if len(data) >= 1:
        forms.add(base64.b64encode(data).decode("ascii"))  # the whole value, padding included
    out: set[str] = set()
    for form in forms:
        out |= {form, form.rstrip("="), form.replace("+", "-").replace("/", "_"), form.replace("+", "-").replace("/", "_").rstrip("=")}
    return sorted((re.escape(f) for f in out if f), key=len, reverse=True)


@lru_cache(maxsize=64)
def _compiled(values: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[bytes] | None]:
    """One regex for all the secrets (a group each, longest first), for text and for UTF-8 bytes."""
    if not values:
        return None, None
    source = "|".join("(" + "|".join([*_base64_patterns(v), _text_pattern(v)]) + ")" for v in values)
    return re.compile(source), re.compile(source.encode("utf-8", "surrogatepass"))


# --- the redactor ---------------------------------------------------------------------------------


Placeholder = str | Callable[[str], str]
_URL_IN_TEXT = re.compile(r"\b(?:https?|wss?|file|ftp)://[^\s\"'<>`]+", re.IGNORECASE)
_ENUM_KEYS = frozenset(
    {"kind", "strategy", "state", "by", "button", "mode", "status", "run_with", "outcome", "reason", "action", "type"}
)


class Redactor:
    """Replaces secrets, named or not, in every spelling; `redactor(text)` is `redactor.text(text)`."""

    def __init__(self, secrets: Mapping[str, str] | Iterable[str], placeholder: Placeholder = "***") -> None:
        named = dict(secrets) if isinstance(secrets, Mapping) else {f"secret{i}": v for i, v in enumerate(secrets)}
        self.secrets = {name: str(value) for name, value in named.items() if value is not None and str(value)}
        self.weak = sorted(name for name, value in self.secrets.items() if is_weak_secret(value))
        self._placeholder = placeholder
        strong = sorted(
            ((name, value) for name, value in self.secrets.items() if name not in self.weak),
            key=lambda item: -len(item[1]),
        )
        self._names = [name for name, _ in strong]
        self._pattern, self._bytes = _compiled(tuple(value for _, value in strong))
        self._exact = {unicodedata.normalize("NFC", v): n for n, v in self.secrets.items()}
        self._exact.update({unicodedata.normalize("NFD", v): n for n, v in self.secrets.items()})

    def __bool__(self) -> bool:
        return bool(self.secrets)

    def __call__(self, text: str) -> str:
        return self.text(text)

    def _mark(self, name: str) -> str:
        return self._placeholder(name) if callable(self._placeholder) else self._placeholder

    def _name_of(self, match: re.Match[Any]) -> str:
        return self._names[(match.lastindex or 1) - 1]

    # --- text -----------------------------------------------------------------

    def text(self, text: str) -> str:
        """`text` with every spelling of every secret replaced, URLs' secret-valued parameters included."""
        if not self.secrets or not text:
            return text
        text = _URL_IN_TEXT.sub(lambda m: self.url(m.group(0), self._mark), text)
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._mark(self._name_of(m)), text)

    def bytes(self, data: bytes) -> bytes:
        """The same for bytes (zip entries, files): the spellings searched as UTF-8."""
        if self._bytes is None or not data:
            return data
        return self._bytes.sub(lambda m: self._mark(self._name_of(m)).encode("utf-8"), data)

    def found(self, text: str) -> bool:
        """Whether `text` holds a secret: any spelling of a strong one, or exactly the value of a weak one."""
        if not text:
            return False
        if unicodedata.normalize("NFC", text.strip()) in self._exact:
            return True
        return self._pattern is not None and self._pattern.search(text) is not None

    # --- URLs -----------------------------------------------------------------

    def url(self, url: str, placeholder: Placeholder = "*") -> str:
        """`url` with each path segment, query value or fragment that is a secret replaced (`*` by default,
        so a URL pattern stays a pattern). Exact values are found for weak secrets too."""
        if not self.secrets or not url:
            return url
        try:
            parts = urlsplit(url)
        except ValueError:
            return url
        mark = (lambda name: placeholder(name)) if callable(placeholder) else (lambda name: placeholder)

        def value(text: str, plus: bool) -> str:
            name = self._exact.get(unicodedata.normalize("NFC", (unquote_plus if plus else unquote)(text)))
            return mark(name) if name is not None else text

        path = "/".join(value(seg, False) for seg in parts.path.split("/"))
        pairs = []
        for pair in parts.query.split("&") if parts.query else []:
            key, eq, item = pair.partition("=")
            pairs.append(f"{key}{eq}{value(item, True)}" if eq else value(key, True))
        fragment = value(parts.fragment, False) if parts.fragment else ""
        netloc = parts.netloc
        if "@" in netloc:  # user:password@host
            userinfo, _, host = netloc.rpartition("@")
            user, colon, password = userinfo.partition(":")
            netloc = f"{value(user, False)}{colon}{value(password, False) if colon else ''}@{host}"
        return urlunsplit((parts.scheme, netloc, path, "&".join(pairs), fragment))

    # --- data -----------------------------------------------------------------

    def data(self, value: Any, *, keep: frozenset[str] = _ENUM_KEYS, exact: bool = True) -> Any:
        """JSON-shaped data with every string redacted (keys too). With `exact`, a string that *is* a secret,
        weak or not, is replaced whole. Values under the `keep` keys (enumerations such as `mode`) are left
        as they are: rewriting them would make the data invalid, and they never hold free text."""
        if not self.secrets:
            return value
        if isinstance(value, str):
            name = self._exact.get(unicodedata.normalize("NFC", value.strip())) if exact else None
            return self._mark(name) if name is not None else self.text(value)
        if isinstance(value, Mapping):
            return {
                (self.text(k) if isinstance(k, str) else k): (v if k in keep else self.data(v, keep=keep, exact=exact))
                for k, v in value.items()
            }
        if isinstance(value, (list, tuple)):
            return type(value)(self.data(item, keep=keep, exact=exact) for item in value)
        return value

    def warnings(self) -> list[str]:
        """One line per secret that cannot be redacted reliably."""
        return [
            f"secret {name!r} is too short or too common to be redacted reliably from page text, reports"
            f" and logs (fewer than {MIN_SECRET_LENGTH} characters, or a common word); use a longer secret"
            for name in self.weak
        ]


def redact(text: str, secrets: Mapping[str, str] | Iterable[str], placeholder: Placeholder = "***") -> str:
    """`text` with every spelling of every secret replaced: `Redactor(secrets, placeholder)(text)`."""
    return Redactor(secrets, placeholder).text(text)
