"""Run data in recorded strings: parameter values and created ids found in a text become template references."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ._model import Ref, Template

__all__ = ["RunData", "TextMode", "has_wildcards", "join_parts", "stem_of", "text_regex"]

TextMode = Literal["locate", "check"]
"""locate: a string that finds an element (a name, a text, an attribute): only what is surely run data
becomes a reference. check: a string a replay compares (an expected text): beside that, numbers of
three digits or more (ids, times) match any number, and so do all numbers in a text that holds run
data ("msg 2 created issue {issue_id} created": the other number is another record's id)."""

# A parameter value shorter than this is found only when it is the whole string: "l" or "2" inside a
# longer text is far more often something else than the value typed. A three-letter value is found
# inside a text when it is not a plain lowercase word ("Bob" is, "new" or "all" are not).
MIN_PARAM_LENGTH = 4
# A run variable (a created id) this long is found anywhere it stands alone; a shorter one only right
# after the word it was named from ("issue 2", "Ticket #2", "user-4").
MIN_BARE_VAR_LENGTH = 4
_COUNTER = re.compile(r"(?<=[(\[])\d+(?=[)\]])")
_NUMBER = re.compile(r"\d+")
_STEM_GAP = r"[\s#:_./-]*(?:no\.?\s*|nr\.?\s*)?"


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    ref: Ref
    rank: int  # lower wins on equal spans: parameters before variables before wildcards


@dataclass
class RunData:
    """The values of one run that recorded strings are checked against.

    `params` are the run's non-secret parameters; `variables` grow as post-conditions capture ids
    the run created, each with the word its URL named it by (its stem).
    """

    params: dict[str, str] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    stems: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, params: Mapping[str, object], variables: Mapping[str, str] | None = None) -> RunData:
        """The run data of a run given its parameters and the variables defined so far."""
        data = cls({name: _collapse(str(value)) for name, value in params.items() if str(value).strip()})
        for name, value in (variables or {}).items():
            data.define(name, value)
        return data

    def define(self, name: str, value: str, stem: str | None = None) -> None:
        """A run variable: an id the run created, known as `name`."""
        self.variables[name] = value
        self.stems[name] = (stem if stem is not None else stem_of(name)).lower()

    def variable_for(self, value: str, stem: str | None = None) -> str | None:
        """The known variable holding `value`, preferring one named from the same word."""
        names = [n for n, v in self.variables.items() if v == value]
        if stem is not None:
            same = [n for n in names if self.stems.get(n) == stem_of(stem).lower()]
            if same:
                return same[-1]
        # A short id under another word ("?page=2" after issue 2 was created) is a different number.
        return names[-1] if names and len(value) >= MIN_BARE_VAR_LENGTH else None

    def fresh_name(self, stem: str) -> str:
        """A variable name from a URL word: 'users' -> 'user_id', made unique."""
        base = re.sub(r"[^0-9a-zA-Z]+", "_", _singular(stem)).strip("_").lower()
        base = f"{base}_id" if base and not base.endswith("id") else (base or "id")
        if base[0].isdigit():
            base = f"id_{base}"
        name, n = base, 2
        while name in self.variables or name in self.params:
            name, n = f"{base}_{n}", n + 1
        return name

    # --- finding run data in a string ------------------------------------------------------------

    def template(self, text: str, mode: TextMode = "locate") -> Template | None:
        """`text` with the run data in it as references; None when it holds none."""
        if not text:
            return None
        matches = self._params_in(text) + self._variables_in(text)
        if mode == "check":
            numbers = [m for m in _NUMBER.finditer(text) if matches or len(m.group()) >= 3]
            matches += [_Match(m.start(), m.end(), Ref(kind="number"), 3) for m in numbers]
        if not any(m.ref.kind != "number" for m in matches):
            # A count in brackets ("Clear completed (1)") changes with the data; only alone, so that
            # the candidate stays a plain pattern.
            matches += [_Match(m.start(), m.end(), Ref(kind="number"), 3) for m in _COUNTER.finditer(text)]
        chosen = _non_overlapping(matches)
        if not chosen:
            return None
        parts: list[str | Ref] = []
        at = 0
        for match in chosen:
            if match.start > at:
                parts.append(text[at : match.start])
            parts.append(match.ref)
            at = match.end
        if at < len(text):
            parts.append(text[at:])
        return Template(parts=tuple(parts))

    def holds_data(self, text: str) -> bool:
        """Whether `text` holds a parameter value or a created id (a counter does not count)."""
        return bool(self._params_in(text) or self._variables_in(text))

    def _params_in(self, text: str) -> list[_Match]:
        found = []
        for name, value in sorted(self.params.items()):
            if text == value:
                found.append(_Match(0, len(text), Ref(kind="param", name=name), 0))
            elif len(value) >= MIN_PARAM_LENGTH or (len(value) == 3 and not (value.isalpha() and value.islower())):
                for start in _occurrences(text, value):
                    if _bounded(text, start, start + len(value)):
                        found.append(_Match(start, start + len(value), Ref(kind="param", name=name), 0))
        return found

    def _variables_in(self, text: str) -> list[_Match]:
        found = []
        for name, value in sorted(self.variables.items()):
            ref = Ref(kind="var", name=name)
            if text == value:
                found.append(_Match(0, len(text), ref, 1))
                continue
            stem = self.stems.get(name, "")
            for start in _occurrences(text, value):
                end = start + len(value)
                if not _bounded(text, start, end, digits_only=value.isdigit()):
                    continue
                after_stem = bool(stem) and re.search(rf"(?i){_word_forms(stem)}{_STEM_GAP}$", text[:start])
                if len(value) >= MIN_BARE_VAR_LENGTH and _bounded(text, start, end) or after_stem:
                    found.append(_Match(start, end, ref, 1))
        return found


def join_parts(parts: list[str | Ref]) -> Template:
    """A template from parts, adjacent texts merged and empty ones dropped."""
    out: list[str | Ref] = []
    for part in parts:
        if isinstance(part, str):
            if not part:
                continue
            if out and isinstance(out[-1], str):
                out[-1] = out[-1] + part
                continue
        out.append(part)
    return Template(parts=tuple(out))


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _occurrences(text: str, value: str) -> list[int]:
    out, at = [], text.find(value)
    while at >= 0:
        out.append(at)
        at = text.find(value, at + 1)
    return out


def _bounded(text: str, start: int, end: int, *, digits_only: bool = False) -> bool:
    """The value stands alone: not glued to the letters or digits around it (digits only, for numbers)."""
    glued = (lambda ch: ch.isdigit()) if digits_only else (lambda ch: ch.isalnum())
    value = text[start:end]
    before = start > 0 and glued(text[start - 1]) and glued(value[0])
    after = end < len(text) and glued(text[end]) and glued(value[-1])
    return not before and not after


def _non_overlapping(matches: list[_Match]) -> list[_Match]:
    chosen: list[_Match] = []
    for match in sorted(matches, key=lambda m: (m.rank, m.start, -(m.end - m.start))):
        if all(match.end <= c.start or match.start >= c.end for c in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


def _word_forms(stem: str) -> str:
    """A regex for the word and its plurals: item, items; category, categories."""
    forms = [re.escape(stem) + "(?:s|es)?"]
    if stem.endswith("y"):
        forms.append(re.escape(stem[:-1]) + "ies")
    return "(?:" + "|".join(forms) + ")"


def _singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + "y"
    if lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3:
        return word[:-1]
    return word


def stem_of(name: str) -> str:
    """The word a variable was named from: 'user_id' -> 'user', 'users' -> 'user'."""
    return _singular(re.sub(r"(^|_)id(_\d+)?$", "", name)).lower()


_REGEX_SPECIAL = set("\\^$.|?*+()[]{}/")


def text_regex(template: Template, params: Mapping[str, str], variables: Mapping[str, str]) -> str | None:
    """A whole-string regex for a template with wildcards, valid in Python and in the page's JavaScript.

    None when a reference has no value. Literal characters are escaped only where the two
    dialects agree on the escape.
    """
    out = ["^"]
    for part in template.parts:
        if isinstance(part, str):
            text = part
        elif part.kind == "number":
            out.append(r"\d+")
            continue
        elif part.kind == "any":
            out.append(".*")
            continue
        else:
            source = params if part.kind == "param" else variables
            if part.name not in source:
                return None
            text = source[part.name or ""]
        out.append("".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in text))
    out.append("$")
    return "".join(out)


def has_wildcards(template: Template) -> bool:
    return any(r.kind in ("number", "any", "capture") for r in template.refs())
