"""Replay settings: timeouts, thresholds, where artifacts go, who hears about each step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tracer import Target

    from ._errors import Reason
    from ._results import StepResult

__all__ = ["HealRequest", "Healer", "Options"]


@dataclass(frozen=True)
class HealRequest:
    """A step whose element could not be verified: what a healer needs to find it another way."""

    step_id: str
    block: str | None
    intention: str
    reason: Reason
    page: Page


# Returns a freshly recorded Target for the step's element, or None; the runtime verifies it as usual.
Healer = Callable[[HealRequest], Awaitable["Target | None"]]


@dataclass(frozen=True)
class Options:
    base_url: str | None = None
    """Replace the recorded origin with this one (the same site served elsewhere)."""
    locate_timeout: float = 1.25
    """Seconds to wait for a candidate to verify before diverging."""
    action_timeout: float = 5.0
    postcondition_timeout: float = 5.0
    navigation_timeout: float = 20.0
    min_score: float = 0.7
    """Lowest fingerprint score accepted (with no mismatch); calibrated in bench/score_calibration.py."""
    artifacts_dir: Path | None = None
    """Screenshots of divergences and downloads land here; nothing is written when None."""
    on_step: Callable[[StepResult], None] | None = None
    healer: Healer | None = None
    """Asked once per step whose candidates all fail; see `HealRequest`."""
