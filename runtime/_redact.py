"""Secret values out of every message a replay produces."""

from __future__ import annotations

import json
from collections.abc import Iterable

from pydantic import BaseModel, SecretStr

__all__ = ["Redactor"]


class Redactor:
    """Replaces each secret, in the spellings messages and reports use, by ***."""

    def __init__(self, secrets: Iterable[str]) -> None:
        # Messages quote page text with repr() and reports are JSON: redact those spellings too.
        spellings = {form for s in secrets if s for form in (s, repr(s)[1:-1], json.dumps(s)[1:-1])}
        self._spellings = sorted(spellings, key=len, reverse=True)

    @classmethod
    def for_params(cls, params: BaseModel) -> Redactor:
        """The secrets of a script's `Params`: its `SecretStr` fields."""
        return cls(v.get_secret_value() for v in params.__dict__.values() if isinstance(v, SecretStr))

    def __call__(self, text: str) -> str:
        for secret in self._spellings:
            text = text.replace(secret, "***")
        return text
