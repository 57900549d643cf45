"""One selector candidate as a Playwright locator within a page or frame scope."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from playwright.async_api import FrameLocator, Locator, Page

from ._data import has_wildcards, text_regex
from ._model import Candidate, Template

__all__ = ["candidate_text", "locator_for", "scope_text"]


def candidate_text(
    c: Candidate, params: Mapping[str, str] | None = None, variables: Mapping[str, str] | None = None
) -> str | re.Pattern[str]:
    """What the candidate looks for (the name, for role): its template filled with this run's values,
    a pattern when the template holds a wildcard, or the recorded text when there is no template."""
    recorded = c.name if c.strategy == "role" and c.name is not None else c.value
    return _filled(recorded, c.template, params, variables)


def scope_text(
    c: Candidate, params: Mapping[str, str] | None = None, variables: Mapping[str, str] | None = None
) -> str | re.Pattern[str] | None:
    """The text that tells the candidate's container apart (issue 11), filled in for this run (issue 12)."""
    if c.scope is None:
        return None
    return _filled(c.scope.has_text, c.scope.template, params, variables)


def _filled(
    recorded: str, template: Template | None, params: Mapping[str, str] | None, variables: Mapping[str, str] | None
) -> str | re.Pattern[str]:
    if template is None or params is None:
        return recorded
    if has_wildcards(template):
        pattern = text_regex(template, params, variables or {})
        return recorded if pattern is None else re.compile(pattern)
    rendered = template.render(dict(params), dict(variables or {}))
    return recorded if rendered is None else rendered


def locator_for(
    scope: Page | FrameLocator,
    c: Candidate,
    params: Mapping[str, str] | None = None,
    variables: Mapping[str, str] | None = None,
) -> Locator:
    """The candidate's locator; with `params` (and `variables`), its templates are filled in for this run."""
    within: Page | FrameLocator | Locator = scope
    if c.scope is not None:
        # Inside the repeated container (a row, a list item, a card) that holds the distinguishing text.
        container = scope.get_by_role(c.scope.value) if c.scope.strategy == "role" else scope.locator(c.scope.value)  # type: ignore[arg-type]
        within = container.filter(has_text=scope_text(c, params, variables))
    text = candidate_text(c, params, variables)
    kwargs: dict[str, Any] = {"exact": True} if c.exact and isinstance(text, str) else {}
    if c.strategy == "css":
        loc = within.locator(str(text))
    elif c.strategy == "xpath":
        loc = within.locator("xpath=" + str(text))
    elif c.strategy == "role":
        loc = within.get_by_role(c.value, name=text if c.name is not None else None, **kwargs)  # type: ignore[arg-type]
    elif c.strategy == "test_id":
        loc = within.get_by_test_id(text)
    else:
        getter = {
            "label": within.get_by_label,
            "placeholder": within.get_by_placeholder,
            "alt": within.get_by_alt_text,
            "title": within.get_by_title,
            "text": within.get_by_text,
        }[c.strategy]
        loc = getter(text, **kwargs)
    return loc.nth(c.nth) if c.nth is not None else loc
