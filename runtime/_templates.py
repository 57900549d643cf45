"""Recorded templates filled with this run's values: fingerprints, expected texts, candidate locators."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, SecretStr

from tracer import Fingerprint, Template
from tracer._data import has_wildcards, text_regex

__all__ = ["param_values", "resolve_fingerprint", "text_pattern"]


def param_values(params: BaseModel) -> dict[str, str]:
    """Each non-secret parameter as the text a template holds (secrets never enter a template)."""
    return {
        name: str(value)
        for name, value in params.__dict__.items()
        if not isinstance(value, SecretStr) and value is not None
    }


def resolve_fingerprint(
    fingerprint: Fingerprint,
    params: Mapping[str, str],
    variables: Mapping[str, str],
    live: Mapping[str, Any] | None = None,
) -> Fingerprint:
    """The fingerprint as this run should see it: each templated field holds this run's values.

    A field with a wildcard (a counter) keeps its recorded text, unless `live` is given and its
    value has the template's shape, in which case the live value is taken: the counter moved, the
    element did not. A field holding a run variable not captured yet (the id a click is about to
    reveal) is left out: nothing this run knows can confirm or contradict it.
    """
    if not fingerprint.templates:
        return fingerprint
    update: dict[str, Any] = {}
    attributes = dict(fingerprint.attributes)
    live_attributes = dict((live or {}).get("attributes") or {})
    for key, template in fingerprint.templates.items():
        unknown = any(r.kind == "var" and r.name not in variables for r in template.refs())
        if key.startswith("attributes."):
            name = key.removeprefix("attributes.")
            value = _resolved(template, params, variables, live_attributes.get(name) if live else None)
            if unknown:
                attributes.pop(name, None)
            elif value is not None and name in attributes:
                attributes[name] = value
        elif key in ("name", "text"):
            value = _resolved(template, params, variables, (live or {}).get(key) if live else None)
            if unknown:
                update[key] = None
            elif value is not None:
                update[key] = value
    update["attributes"] = attributes
    update["templates"] = None
    return fingerprint.model_copy(update=update)


def _resolved(
    template: Template, params: Mapping[str, str], variables: Mapping[str, str], live: Any
) -> str | None:
    if not has_wildcards(template):
        return template.render(dict(params), dict(variables))
    if isinstance(live, str):
        pattern = text_regex(template, params, variables)
        if pattern is not None and re.match(pattern, " ".join(live.split())):
            return live
    return None


def text_pattern(
    template: Template, params: Mapping[str, str], variables: Mapping[str, str]
) -> str | re.Pattern[str] | None:
    """What an expected text is on this run: the filled-in text, or a whole-string pattern with wildcards."""
    if has_wildcards(template):
        pattern = text_regex(template, params, variables)
        return None if pattern is None else re.compile(pattern)
    return template.render(dict(params), dict(variables))
