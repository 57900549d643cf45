"""Secret values out of every message a replay produces: the script's `SecretStr` parameters, redacted by
the one `tracer.Redactor` that knows every spelling."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, SecretStr

from tracer import Redactor as _Redactor

__all__ = ["Redactor"]


class Redactor(_Redactor):
    """Replaces each secret, in every spelling, by ***."""

    def __init__(self, secrets: Mapping[str, str] | Iterable[str]) -> None:
        super().__init__(secrets, "***")

    @classmethod
    def for_params(cls, params: BaseModel) -> Redactor:
        """The secrets of a script's `Params`: its `SecretStr` fields."""
        return cls({k: v.get_secret_value() for k, v in params.__dict__.items() if isinstance(v, SecretStr)})
