"""One selector candidate as a Playwright locator within a page or frame scope."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playwright.async_api import FrameLocator, Locator, Page

from ._data import has_wildcards, text_regex
from ._model import Candidate

__all__ = ["candidate_text", "locator_for"]


def candidate_text(
    c: Candidate, params: Mapping[str, str] | None = None, variables: Mapping[str, str] | None = None
) -> str | re.Pattern[str]:
    """What the candidate looks for (the name, for role): its template filled with this run's values,
    a pattern when the template holds a wildcard, or the recorded text when there is no template."""
    recorded = c.name if c.strategy == "role" and c.name is not None else c.value
    if c.template is None or params is None:
        return recorded
    if has_wildcards(c.template):
        pattern = text_regex(c.template, params, variables or {})
        return recorded if pattern is None else re.compile(pattern)
    rendered = c.template.render(dict(params), dict(variables or {}))
    return recorded if rendered is None else rendered


def locator_for(
    scope: Page | FrameLocator,
    c: Candidate,
    params: Mapping[str, str] | None = None,
    variables: Mapping[str, str] | None = None,
) -> Locator:
    """The candidate's locator; with `params` (and `variables`), its template is filled in for this run."""
    text = candidate_text(c, params, variables)
    kwargs: dict[str, Any] = {"exact": True} if c.exact and isinstance(text, str) else {}
    if c.strategy == "css":
        loc = scope.locator(str(text))
    elif c.strategy == "xpath":
        loc = scope.locator("xpath=" + str(text))
    elif c.strategy == "role":
        loc = scope.get_by_role(c.value, name=text if c.name is not None else None, **kwargs)  # type: ignore[arg-type]
    elif c.strategy == "test_id":
        loc = scope.get_by_test_id(text)
    else:
        getter = {
            "label": scope.get_by_label,
            "placeholder": scope.get_by_placeholder,
            "alt": scope.get_by_alt_text,
            "title": scope.get_by_title,
            "text": scope.get_by_text,
        }[c.strategy]
        loc = getter(text, **kwargs)
    return loc.nth(c.nth) if c.nth is not None else loc
