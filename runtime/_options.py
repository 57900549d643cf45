"""Replay settings: timeouts, thresholds, where artifacts go, who hears about each step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._steps import StepResult

__all__ = ["Options"]


@dataclass(frozen=True)
class Options:
    base_url: str | None = None
    """Replace the recorded origin with this one (the same site served elsewhere)."""
    locate_timeout: float = 1.25
    """Seconds to wait for a candidate to verify before diverging."""
    action_timeout: float = 5.0
    postcondition_timeout: float = 5.0
    navigation_timeout: float = 20.0
    min_score: float = 0.6
    artifacts_dir: Path | None = None
    """Screenshots of divergences and downloads land here; nothing is written when None."""
    on_step: Callable[[StepResult], None] | None = None
