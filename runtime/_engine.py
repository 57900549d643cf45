"""The `encore_verify` selector engine (runtime/js/engine.js): registered once per Playwright instance, lazily.

Generated scripts receive a `page`; the runtime does not create the browser, so it registers the engine
the first time a replay needs it, on the Playwright instance that page belongs to (Playwright hands the
engine to that instance's existing contexts and to those created later). When that instance cannot be
reached, replays act through element handles instead (`engine_ready` says False), which is slower but
keeps the same guarantee.
"""

from __future__ import annotations

import json
import weakref
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import FrameLocator, Locator, Page

from tracer import Fingerprint

from ._pagejs import engine_source
from ._templates import fingerprint_json

__all__ = ["ENGINE", "engine_missing", "engine_ready", "read_locator", "settle_locator", "verified_locator"]

ENGINE = "encore_verify"
_READY: weakref.WeakSet[Any] = weakref.WeakSet()


def _selectors_of(page: Page) -> Any:
    """The private Selectors object of the page's Playwright instance, or None."""
    try:
        browser = page.context.browser
        return None if browser is None else browser._impl_obj._browser_type._playwright.selectors  # type: ignore[attr-defined]
    except AttributeError:
        return None


async def engine_ready(page: Page) -> bool:
    """Whether `encore_verify=` selectors work on this page; registers the engine the first time."""
    selectors = _selectors_of(page)
    if selectors is None:
        return False
    if selectors in _READY:
        return True
    try:
        await selectors.register(ENGINE, engine_source(), None, True)  # a content script: see engine.js
    except PlaywrightError as exc:
        if "already registered" not in str(exc):
            return False
    except (AttributeError, TypeError):  # a Playwright whose private API moved: fall back to handles
        return False
    _READY.add(selectors)
    return True


def engine_missing(exc: BaseException) -> bool:
    """The engine is not known to this document (its scripts were set up before the engine was registered)."""
    message = str(exc)
    return f'Unknown engine "{ENGINE}"' in message or "reading 'queryAll'" in message


def _spec(mode: str, nonce: str, token: str, recorded: Fingerprint | None, min_score: float, **extra: Any) -> str:
    spec: dict[str, Any] = {
        "m": mode,
        "n": nonce,
        "t": token,
        "fp": fingerprint_json(recorded),
        "min": min_score,
    }
    spec.update({k: v for k, v in extra.items() if v})
    return f"{ENGINE}={json.dumps(spec, ensure_ascii=False, separators=(',', ':'))}"


def verified_locator(
    candidate: Locator,
    scope: Page | FrameLocator,
    nonce: str,
    token: str,
    recorded: Fingerprint | None,
    min_score: float,
    *,
    positional: bool,
    arm: bool,
    pending: list[tuple[str, str]],
    options: dict[str, Any] | None = None,
) -> Locator:
    """`candidate`, keeping only the element that verifies; a resolution that keeps none makes the next throw."""
    selector = _spec(
        "v", nonce, token, recorded, min_score, pos=positional, arm=arm, pend=pending, opts=options
    )
    return candidate.or_(scope.locator(":root")).locator(selector)


def settle_locator(scope: Page | FrameLocator, nonce: str, pending: list[tuple[str, str]]) -> Locator:
    """Matches nothing; resolving it raises what earlier steps left for the page to confirm."""
    return scope.locator(_spec("s", nonce, "", None, 0.0, pend=pending))


def read_locator(scope: Page | FrameLocator, token: str) -> Locator:
    """The element acted on under `token`, as it is now, unverified (for the checks that follow the action)."""
    return scope.locator(f"{ENGINE}={json.dumps({'m': 'r', 't': token}, separators=(',', ':'))}")
