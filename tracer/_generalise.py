"""A recorded target checked for run data: its candidates templated (or dropped) and its fingerprint templated."""

from __future__ import annotations

import json
import re

from ._data import RunData, has_wildcards, join_parts
from ._model import Candidate, Fingerprint, Ref, Target, Template

__all__ = ["after_capture", "generalise_candidates", "generalise_fingerprint"]

# A quoted attribute value in the selectors the recorder writes: [name="…"], a[href="…"].
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_TEXT_STRATEGIES = {"role", "label", "placeholder", "alt", "title", "text", "test_id"}


def generalise_candidates(candidates: list[Candidate], data: RunData) -> list[Candidate]:
    """Each candidate with its run data as a template; one that holds data it cannot template is dropped:
    replayed with other data it would look for the recording's values, or worse, find them."""
    out = []
    for candidate in candidates:
        kept = _generalised(candidate, data)
        if kept is not None:
            out.append(kept)
    return out


def _generalised(candidate: Candidate, data: RunData) -> Candidate | None:
    if candidate.scope is not None:
        # Issue 11's scoped candidate: the text that tells its container apart is often the run's data
        # (the order id, the item typed a step earlier); a template finds this run's container.
        scope = candidate.scope
        template = data.template(scope.has_text, "locate")
        if template is not None:
            if has_wildcards(template):
                return None  # has_text is a substring; an anchored pattern would not find the container
            candidate = candidate.model_copy(update={"scope": scope.model_copy(update={"template": template})})
    return _generalised_value(candidate, data)


def _generalised_value(candidate: Candidate, data: RunData) -> Candidate | None:
    if candidate.strategy in _TEXT_STRATEGIES:
        text = candidate.name if candidate.strategy == "role" else candidate.value
        if text is None:
            return candidate
        template = data.template(text, "locate")
        if template is None:
            return candidate
        wild = any(r.kind == "number" for r in template.refs())
        if wild and any(r.kind != "number" for r in template.refs()):
            return None  # a counter beside run data: no plain pattern says both
        return candidate.model_copy(update={"template": template})
    if candidate.strategy == "css":
        template = _css_template(candidate.value, data)
        if template is None:
            return None if data.holds_data(candidate.value) else candidate
        return candidate.model_copy(update={"template": template})
    return None if data.holds_data(candidate.value) else candidate  # an XPath is positional: drop it


def _css_template(selector: str, data: RunData) -> Template | None:
    """Run data inside the quoted attribute values of a selector; only created ids may be filled in
    there (they are plain tokens), a typed value could close the quotes."""
    parts: list[str | Ref] = []
    at = 0
    found = False
    for quoted in _QUOTED.finditer(selector):
        value = json.loads(f'"{quoted.group(1)}"')
        template = data.template(value, "locate")
        if template is None:
            continue
        if any(r.kind != "var" for r in template.refs()):
            return None
        found = True
        parts.append(selector[at : quoted.start(1)])
        parts += [json.dumps(p)[1:-1] if isinstance(p, str) else p for p in template.parts]
        at = quoted.end(1)
    if not found:
        return None
    parts.append(selector[at:])
    if data.holds_data(_QUOTED.sub('""', selector)):
        return None  # data outside the quotes (an id, a class): nothing safe to fill in
    return join_parts(parts)


def generalise_fingerprint(fingerprint: Fingerprint, data: RunData) -> Fingerprint:
    """The fingerprint with a template for each field that holds run data; replay fills in its values."""
    templates: dict[str, Template] = {}
    context = fingerprint.context.text if fingerprint.context is not None else None
    for key, value in (("name", fingerprint.name), ("text", fingerprint.text), ("context", context)):
        if value:
            template = data.template(value, "locate")
            if template is not None:
                templates[key] = template
    for attribute, value in fingerprint.attributes.items():
        template = data.template(value, "locate")
        if template is not None:
            templates[f"attributes.{attribute}"] = template
    if not templates:
        return fingerprint
    return fingerprint.model_copy(update={"templates": {**(fingerprint.templates or {}), **templates}})


def after_capture(target: Target, captured: RunData) -> Target:
    """The target of an action whose result revealed new ids (the link to a record just created,
    `#/items/1`): candidates naming those ids are dropped, since replay cannot know them before the
    action, and fingerprint fields holding them are templated (replay leaves them out until known)."""
    candidates = [c for c in target.candidates if not _holds(c, captured)]
    fingerprint = target.fingerprint
    if fingerprint is not None:
        fingerprint = generalise_fingerprint(fingerprint, captured)
    if not candidates:
        return target.model_copy(update={"fingerprint": fingerprint})
    return target.model_copy(update={"candidates": tuple(candidates), "fingerprint": fingerprint})


def _holds(candidate: Candidate, data: RunData) -> bool:
    texts = (candidate.value, candidate.name, candidate.scope.has_text if candidate.scope else None)
    return any(data.holds_data(text) for text in texts if text)
