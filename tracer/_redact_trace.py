"""A trace with the secrets it captured by accident redacted: a secret-valued URL parameter (a GET login
form), or page text echoing a secret in a fingerprint, a selector or an intention."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._model import Trace
from ._secrets import Redactor

__all__ = ["redact_trace"]

# URLs and URL patterns: a secret-valued part becomes `*`, so a pattern still matches the next run's URL.
_URL_KEYS = frozenset({"start_url", "url_before", "url_after", "pattern", "url"})
# Enumerations and identifiers: never free text, and rewriting them would break the trace.
_KEEP = frozenset({"kind", "strategy", "state", "by", "button", "type", "id", "schema_version", "modifiers", "secret"})


def redact_trace(trace: Trace, secrets: Mapping[str, str] | Redactor) -> Trace:
    """`trace` with every spelling of every secret replaced (`***`, or `*` inside URLs). Weak secrets
    (too short or common to find in text) are replaced where a URL parameter equals them."""
    redactor = secrets if isinstance(secrets, Redactor) else Redactor(secrets)
    if not redactor:
        return trace
    data = _walk(trace.model_dump(mode="json"), redactor)
    return trace if data == trace.model_dump(mode="json") else Trace.model_validate(data)


def _walk(value: Any, redactor: Redactor, key: str = "") -> Any:
    if isinstance(value, str):
        if key in _URL_KEYS:
            value = redactor.url(value, "*")
        return redactor.text(value)
    if isinstance(value, dict):
        # A parameter's or reference's name is an identifier; an element's accessible name is page text.
        is_reference = value.get("kind") in ("param", "secret") or "secret" in value
        return {
            k: v if k in _KEEP or (k == "name" and is_reference) else _walk(v, redactor, k) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_walk(item, redactor, key) for item in value]
    return value
