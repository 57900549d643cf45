"""Recording-time data: text holding a value the run typed or was given must not verify a later replay.

A candidate `get_by_role("link", name="My new item")` written while recording, a check that the page
says "Subscribed: ada@example.com", a container told apart by "Buy milk" typed a step earlier: replayed
with other data they find nothing, and replayed where the recording's own data is still on the page
they find *that*, which proves nothing. Where generalisation (`_generalise.py`, issue 12) made the
text a template over parameters and run variables, the template is the check and only its literal
parts are looked at here. What is left — a value typed as a literal, a secret, a value too short or
too common to template safely — the recorder drops: candidates holding it are not kept, fingerprint
fields holding it are marked `stale` (they never verify), and a check keeps only the words around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._model import Candidate, Fingerprint, Template

__all__ = ["StaleData"]

# Shorter values ("1", "no") would turn up inside unrelated words; short ones need whole-word matches.
_MIN_LENGTH = 3
_WHOLE_WORD_BELOW = 6


def _collapse(text: str) -> str:
    return " ".join(text.split())


class StaleData:
    """The values a recording typed or was given (parameters, secrets, literal text it filled in)."""

    def __init__(self, values: Iterable[object] = ()) -> None:
        self._patterns: list[re.Pattern[str]] = []
        self._secrets: list[re.Pattern[str]] = []
        for value in values:
            self.add(value)

    def add(self, value: object, *, secret: bool = False) -> None:
        text = _collapse(str(value))
        if len(text) < _MIN_LENGTH:
            return
        body = r"\s+".join(re.escape(word) for word in text.split())
        if len(text) < _WHOLE_WORD_BELOW:
            body = rf"(?<!\w){body}(?!\w)"
        pattern = re.compile(body, re.IGNORECASE)
        (self._secrets if secret else self._patterns).append(pattern)
        if secret:
            self._patterns.append(pattern)

    def found_in(self, text: str | None) -> bool:
        """Whether `text` holds a value of the run."""
        return bool(text) and any(p.search(text) for p in self._patterns)  # type: ignore[arg-type]

    def found_outside(self, text: str | None, template: Template | None) -> bool:
        """Whether `text` holds a value of the run that its template (if any) does not stand for.

        A template's references are this run's values at replay; only its literal parts are the
        recording's, and each is looked at on its own (a value never spans a reference).
        """
        if template is None:
            return self.found_in(text)
        return any(self.found_in(part) for part in template.parts if isinstance(part, str))

    def holds_secret(self, text: str | None) -> bool:
        return bool(text) and any(p.search(text) for p in self._secrets)  # type: ignore[arg-type]

    def candidates(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        """The candidates whose selector text holds no value of the run outside their templates."""
        return [c for c in candidates if not self._candidate_stale(c)]

    def _candidate_stale(self, candidate: Candidate) -> bool:
        if candidate.template is not None:
            own = self.found_outside(None, candidate.template)
        else:
            own = self.found_in(candidate.value) or self.found_in(candidate.name)
        scope = candidate.scope
        return own or (scope is not None and self.found_outside(scope.has_text, scope.template))

    def fingerprint(self, fingerprint: Fingerprint) -> Fingerprint:
        """The fingerprint with fields holding run data marked stale, and those holding a secret removed."""
        stale: list[str] = []
        update: dict[str, object] = {}
        templates = fingerprint.templates or {}
        for field in ("name", "text"):
            value = getattr(fingerprint, field)
            if self.holds_secret(value):
                update[field] = None
            elif self.found_outside(value, templates.get(field)):
                stale.append(field)
        context = fingerprint.context
        if context is not None and self.found_outside(context.text, templates.get("context")):
            if self.holds_secret(context.text):
                update["context"] = None
            else:
                stale.append("context")
        if stale:
            update["stale"] = tuple(stale)
        return fingerprint.model_copy(update=update) if update else fingerprint

    def check_text(self, text: str, template: Template | None = None) -> str | None:
        """A post-condition text without run data: as it is (its template standing for the data it holds),
        or its longest run-free stretch, or None.

        "Subscribed: ada@example.com" keeps "Subscribed:", which still tells it from "Not subscribed".
        """
        if not self.found_outside(text, template):
            return text
        pieces = [text]
        for pattern in self._patterns:
            pieces = [part for piece in pieces for part in pattern.split(piece)]
        best = max((_collapse(p).strip(" ,;:.-–—\"'“”‘’«»()[]") for p in pieces), key=len, default="")
        return best if sum(ch.isalpha() for ch in best) >= 4 else None
