"""Recorded templates filled with this run's values: fingerprints, expected texts, candidate locators."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, SecretStr

from tracer import Fingerprint, Template
from tracer._data import has_wildcards, text_regex

__all__ = ["fingerprint_json", "param_values", "resolve_fingerprint", "text_pattern"]


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
        elif key == "context" and fingerprint.context is not None:
            # Issue 11's container text: this run's order id or item, not the recording's.
            value = None if unknown else _resolved(template, params, variables, None)
            if value is not None:
                update["context"] = fingerprint.context.model_copy(update={"text": value})
            elif unknown or has_wildcards(template):
                update["context"] = None  # nothing this run knows can tell the container apart yet
    update["attributes"] = attributes
    # A counter in a name or text ("Clear completed (1)") has no value before the page is read: its
    # template stays, for the page-side check to match the live text by its shape (`fingerprint_json`).
    shaped = {
        key: template
        for key, template in fingerprint.templates.items()
        if key in ("name", "text") and has_wildcards(template) and key not in update
        and not any(r.kind == "var" and r.name not in variables for r in template.refs())
    }
    update["templates"] = shaped or None
    return fingerprint.model_copy(update=update)


def fingerprint_json(fingerprint: Fingerprint | None) -> dict[str, Any] | None:
    """A (resolved) fingerprint as the page-side check reads it (runtime/js/verify.js): the fields, and
    under `pat` a whole-string pattern for each name or text whose recorded counter may have moved."""
    if fingerprint is None:
        return None
    data = fingerprint.model_dump(mode="json", exclude={"box", "templates"}, exclude_defaults=True)
    patterns = {}
    for key, template in (fingerprint.templates or {}).items():
        if key in ("name", "text") and has_wildcards(template):
            pattern = text_regex(template, {}, {})
            if pattern is not None:
                patterns[key] = pattern
    if patterns:
        data["pat"] = patterns
    return data


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
