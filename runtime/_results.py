"""What one replayed step reports: which candidate verified it, at what score, how long it took."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StepResult"]


@dataclass(frozen=True)
class StepResult:
    """One step of a replay, as `Options.on_step` hears of it."""

    block: str | None
    step_id: str
    action: str
    intention: str
    seconds: float
    candidate_index: int | None = None
    selector: str | None = None
    score: float | None = None
    healed: bool = False

    @property
    def used_fallback(self) -> bool:
        """The step ran on a candidate other than the first, or on a healed target."""
        return bool(self.candidate_index) or self.healed
