"""Replay settings: timeouts, thresholds, where artifacts go, who hears about each step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.async_api import Page

    from tracer import Fingerprint, Target

    from ._enrich import Enrichment
    from ._errors import CandidateOutcome, Reason
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
    candidates: tuple[CandidateOutcome, ...] = ()
    """What each recorded candidate found on the page (for the report of the repair)."""
    fingerprint: Fingerprint | None = None
    """The recorded fingerprint, filled with this run's values (issue 12)."""
    variables: Mapping[str, str] = field(default_factory=dict)
    """Run variables captured so far, so a re-recorded element keeps referring to them."""


# Returns a freshly recorded Target for the step's element, or None; the runtime verifies it as usual.
Healer = Callable[[HealRequest], Awaitable["Target | None"]]
"""Returns a freshly recorded Target for a step's element, or None; the runtime verifies it as usual."""


@dataclass(frozen=True)
class Options:
    """How a replay runs: pass to a generated script's `run(page, params, options)`."""

    base_url: str | None = None
    """Replace the recorded origin with this one (the same site served elsewhere)."""
    locate_timeout: float = 1.25
    """Seconds to wait for a candidate to verify before diverging."""
    settle_timeout: float = 10.0
    """Seconds an element still missing after `locate_timeout` may be waited for while the page is busy
    (loading, requests in flight, the DOM changing), or as long as the recording saw it take to appear."""
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
    enrich: Enrichment | None = None
    """Collects fingerprints and post-conditions of steps recorded without them (imported ones); see `Enrichment`."""
    upload_dir: Path | None = None
    """The folder the user allows uploads from; otherwise only files given as file parameters are uploaded."""
