"""One selector candidate as a Playwright locator within a page or frame scope."""

from __future__ import annotations

from typing import Any

from playwright.async_api import FrameLocator, Locator, Page

from ._model import Candidate

__all__ = ["locator_for"]


def locator_for(scope: Page | FrameLocator, c: Candidate) -> Locator:
    """One selector candidate as a Playwright locator within a page or frame."""
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
