"""A secret is typed only on the origins it was recorded on (rebased with `--base-url`), as a browser's
password manager fills a password only on its own site."""

from __future__ import annotations

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator

from tracer import origin_of

from ._replay import Replay

__all__ = ["allowed_origins", "origin_problem", "secret_origin_problem"]


def allowed_origins(replay: Replay, step_id: str) -> set[str]:
    """The origins step `step_id` may type its secret on. Scripts made before origins were recorded bind it
    to the start URL's origin; an empty set (no origin known, e.g. an about:blank start) binds nothing."""
    recorded = replay.recorded.get(step_id, "secret_origins")
    if recorded is None:
        start = origin_of(replay.start_url)
        recorded = [start] if start else []
    rebased = (origin_of(replay.url(origin + "/")) for origin in recorded)
    return {origin for origin in rebased if origin}


async def secret_origin_problem(replay: Replay, step_id: str, field: Locator) -> str | None:
    """Why the secret must not be typed into `field`, or None. The field's frame URL comes from the browser,
    not from the page's scripts (which could lie about `location`)."""
    allowed = allowed_origins(replay, step_id)
    if not allowed:
        return None
    try:
        handle = await field.element_handle(timeout=replay.options.action_timeout * 1000)
        frame = await handle.owner_frame() if handle is not None else None
    except PlaywrightError:
        frame = None
    return origin_problem(replay, step_id, frame.url if frame is not None else None)


def origin_problem(replay: Replay, step_id: str, frame_url: str | None) -> str | None:
    """Why step `step_id`'s secret must not be typed into a frame at `frame_url` (as the browser reports it), or None."""
    allowed = allowed_origins(replay, step_id)
    if not allowed:
        return None
    here = origin_of(frame_url) if frame_url else None
    if here in allowed:
        return None
    return (
        f"refusing to type the secret on {here or 'a page without an origin'}: it is bound to "
        f"{', '.join(sorted(allowed))}"
    )
