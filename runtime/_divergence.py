"""Building a `DivergenceError`: the reason, the redacted message, the candidates, a DOM excerpt, a screenshot."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator

from ._errors import CandidateOutcome, Divergence, DivergenceError, Reason
from ._locate import dom_excerpt
from ._replay import Replay
from ._screens import masked_screenshot

__all__ = ["diverge", "first_line", "locate_message"]


async def diverge(
    replay: Replay,
    step_id: str,
    reason: Reason,
    message: str,
    outcomes: list[CandidateOutcome] | None = None,
    best: Locator | None = None,
    *,
    find_excerpt: Callable[[], Awaitable[str | None]] | None = None,
) -> DivergenceError:
    """The error to raise for step `step_id`; every text in it is redacted.

    `find_excerpt` gives the excerpt when `best` is None (the near-miss search, one round trip); it runs
    while the screenshot is taken, so that a divergence costs about one screenshot to report.
    """
    redact = replay.redact

    async def excerpt_of() -> str | None:
        if best is not None:
            return await dom_excerpt(best)
        return await find_excerpt() if find_excerpt is not None else None

    excerpt, screenshot = await asyncio.gather(excerpt_of(), _screenshot(replay, step_id))
    divergence = Divergence(
        reason=reason,
        message=redact(message),
        block=replay.block_label,
        step_id=step_id,
        intention=replay.recorded.intention(step_id),
        url=redact(replay.page.url),
        candidates=[
            o.model_copy(
                update={"error": redact(o.error) if o.error else None, "mismatch": redact(o.mismatch) if o.mismatch else None}
            )
            for o in outcomes or []
        ],
        dom_excerpt=redact(excerpt) if excerpt else None,
        screenshot=screenshot,
        fingerprint=_recorded_fingerprint(replay, step_id),
        variables=replay.vars.as_dict(),
    )
    return DivergenceError(divergence)


def _recorded_fingerprint(replay: Replay, step_id: str) -> dict[str, Any] | None:
    recorded = replay.fingerprint(step_id)
    if recorded is None:
        return None
    data = recorded.model_dump(mode="json", exclude_none=True, exclude={"box", "templates"})
    return _redacted(data, replay.redact)


def _redacted(item: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(item, str):
        return redact(item)
    if isinstance(item, dict):
        return {key: _redacted(value, redact) for key, value in item.items()}
    if isinstance(item, list):
        return [_redacted(value, redact) for value in item]
    return item


async def _screenshot(replay: Replay, step_id: str) -> str | None:
    if replay.options.artifacts_dir is None:
        return None
    path = Path(replay.options.artifacts_dir) / f"divergence-{step_id}.png"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        await masked_screenshot(replay.page, replay.redact, path=path, timeout=5000)
    except (PlaywrightError, OSError):
        return None
    return str(path)


def first_line(exc: BaseException) -> str:
    """An exception's first line, short enough for a message."""
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


def locate_message(reason: Reason, outcomes: list[CandidateOutcome]) -> str:
    """Why no candidate was taken, with what each one found."""
    summary = ", ".join(
        f"#{o.index} {o.outcome}" + (f" ({o.matches} matches)" if o.outcome == "ambiguous" else "")
        + (f" (score {o.score})" if o.score is not None else "")
        + (f" ({o.mismatch})" if o.mismatch else "")
        for o in outcomes
    )
    lead = {
        "element_missing": "no candidate found a visible element",
        "ambiguous": "candidates match several elements and none singles one out",
        "fingerprint_mismatch": "the elements found do not look like the recorded one",
    }.get(reason, reason)
    return f"{lead}: {summary}"
