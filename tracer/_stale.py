"""Recording-time data: text holding a value the run typed or was given must not verify a later replay.

A candidate `get_by_role("link", name="My new item")` written while recording, a check that the page
says "Subscribed: ada@example.com", a container told apart by "Buy milk" typed a step earlier: replayed
with other data they find nothing, and replayed where the recording's own data is still on the page
they find *that*, which proves nothing. Until such text becomes a template over parameters and run
variables, the recorder drops it: candidates holding it are not kept, fingerprint fields holding it are
marked `stale` (they never verify), and a check keeps only the words around it.

Everything here goes through `RunData`, so that templating can replace dropping in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ._model import Candidate, Fingerprint

__all__ = ["RunData"]

# Shorter values ("1", "no") would turn up inside unrelated words; short ones need whole-word matches.
_MIN_LENGTH = 3
_WHOLE_WORD_BELOW = 6


def _collapse(text: str) -> str:
    return " ".join(text.split())


class RunData:
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

    def holds_secret(self, text: str | None) -> bool:
        return bool(text) and any(p.search(text) for p in self._secrets)  # type: ignore[arg-type]

    def candidates(self, candidates: Iterable[Candidate]) -> list[Candidate]:
        """The candidates whose selector text holds no value of the run."""
        return [c for c in candidates if not self._candidate_stale(c)]

    def _candidate_stale(self, candidate: Candidate) -> bool:
        texts = [candidate.value, candidate.name, candidate.scope.has_text if candidate.scope else None]
        return any(self.found_in(t) for t in texts)

    def fingerprint(self, fingerprint: Fingerprint) -> Fingerprint:
        """The fingerprint with fields holding run data marked stale, and those holding a secret removed."""
        stale: list[str] = []
        update: dict[str, object] = {}
        for field in ("name", "text"):
            value = getattr(fingerprint, field)
            if self.holds_secret(value):
                update[field] = None
            elif self.found_in(value):
                stale.append(field)
        if fingerprint.context is not None and self.found_in(fingerprint.context.text):
            if self.holds_secret(fingerprint.context.text):
                update["context"] = None
            else:
                stale.append("context")
        if stale:
            update["stale"] = tuple(stale)
        return fingerprint.model_copy(update=update) if update else fingerprint

    def check_text(self, text: str) -> str | None:
        """A post-condition text without run data: as it is, or its longest run-free stretch, or None.

        "Subscribed: ada@example.com" keeps "Subscribed:", which still tells it from "Not subscribed".
        """
        if not self.found_in(text):
            return text
        pieces = [text]
        for pattern in self._patterns:
            pieces = [part for piece in pieces for part in pattern.split(piece)]
        best = max((_collapse(p).strip(" ,;:.-–—\"'“”‘’«»()[]") for p in pieces), key=len, default="")
        return best if sum(ch.isalpha() for ch in best) >= 4 else None
