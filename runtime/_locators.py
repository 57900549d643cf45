"""Selector candidates (as data) to Playwright locators: the runtime twin of codegen's expressions."""

from __future__ import annotations

import ast
from collections.abc import Mapping

from playwright.async_api import FrameLocator, Locator, Page

from tracer import Target, locator_for

__all__ = ["describe", "frame_scope", "locators_for"]


def frame_scope(page: Page, frame_path: tuple[str, ...]) -> Page | FrameLocator:
    scope: Page | FrameLocator = page
    for selector in frame_path:
        scope = scope.frame_locator(selector)
    return scope


def locators_for(
    page: Page, target: Target, params: Mapping[str, str] | None = None, variables: Mapping[str, str] | None = None
) -> list[Locator]:
    """The target's candidates as locators; with `params`, templated ones hold this run's values."""
    scope = frame_scope(page, target.frame_path)
    return [locator_for(scope, c, params, variables) for c in target.candidates]


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
