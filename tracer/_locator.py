"""One selector candidate as a Playwright locator within a page or frame scope."""

from __future__ import annotations

from typing import Any

from playwright.async_api import FrameLocator, Locator, Page

from ._model import Candidate

__all__ = ["locator_for"]


def locator_for(scope: Page | FrameLocator, c: Candidate) -> Locator:
    if c.scope is not None:
        # Inside the repeated container (a row, a list item, a card) that holds the recorded text.
        container = scope.get_by_role(c.scope.value) if c.scope.strategy == "role" else scope.locator(c.scope.value)  # type: ignore[arg-type]
        return _within(container.filter(has_text=c.scope.has_text), c)
    return _within(scope, c)


def _within(scope: Page | FrameLocator | Locator, c: Candidate) -> Locator:
    kwargs: dict[str, Any] = {"exact": True} if c.exact else {}
    if c.strategy == "css":
        loc = scope.locator(c.value)
    elif c.strategy == "xpath":
        loc = scope.locator("xpath=" + c.value)
    elif c.strategy == "role":
        loc = scope.get_by_role(c.value, name=c.name, **kwargs)  # type: ignore[arg-type]
    elif c.strategy == "test_id":
        loc = scope.get_by_test_id(c.value)
    else:
        getter = {
            "label": scope.get_by_label,
            "placeholder": scope.get_by_placeholder,
            "alt": scope.get_by_alt_text,
            "title": scope.get_by_title,
            "text": scope.get_by_text,
        }[c.strategy]
        loc = getter(c.value, **kwargs)
    return loc.nth(c.nth) if c.nth is not None else loc
