"""Selector candidates (as data) to Playwright locators: the runtime twin of codegen's expressions."""

from __future__ import annotations

import ast
from typing import Any

from playwright.async_api import FrameLocator, Locator, Page

from tracer import Candidate, Target

__all__ = ["describe", "frame_scope", "locators_for"]


def frame_scope(page: Page, frame_path: tuple[str, ...]) -> Page | FrameLocator:
    scope: Page | FrameLocator = page
    for selector in frame_path:
        scope = scope.frame_locator(selector)
    return scope


def _locator(scope: Page | FrameLocator, c: Candidate) -> Locator:
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


def locators_for(page: Page, target: Target) -> list[Locator]:
    scope = frame_scope(page, target.frame_path)
    return [_locator(scope, c) for c in target.candidates]


def describe(locator: Locator) -> str:
    """Playwright's own selector text, e.g. `internal:role=button[name="Sign in"i]`."""
    # Playwright keeps the selector private; its repr ends with `selector=<python repr>>`.
    text = repr(locator)
    start = text.rfind(" selector=")
    try:
        value = ast.literal_eval(text[start + len(" selector=") : -1])
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text
