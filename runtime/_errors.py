"""Structured divergence errors.

    Exception
    ├── DivergenceError      the page no longer matches the recording; carries a `Divergence`
    └── TaskTerminated       the recorded run itself ended in a terminate step
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["CandidateOutcome", "Divergence", "DivergenceError", "Reason", "TaskTerminated"]

Reason = Literal[
    "element_missing",
    "ambiguous",
    "fingerprint_mismatch",
    "unexpected_url",
    "postcondition_failed",
    "extraction_invalid",
    "navigation_failed",
    "action_failed",
    "timeout",
    "secret_origin",
]
"""Why a replay diverged."""


class CandidateOutcome(BaseModel):
    """What one selector candidate found on the live page."""

    model_config = ConfigDict(frozen=True)

    index: int
    selector: str
    matches: int = 0
    visible: int = 0
    score: float | None = None
    outcome: str
    """One of: ok, missing, hidden, ambiguous, low_score, error."""
    error: str | None = None
    mismatch: str | None = None
    """Why the element found was ruled out whatever its score (another name, form or container)."""


class Divergence(BaseModel):
    """Where and why a replay stopped matching the recording."""

    model_config = ConfigDict(frozen=True)

    reason: Reason
    message: str
    block: str | None = None
    step_id: str
    intention: str = ""
    url: str = ""
    candidates: list[CandidateOutcome] = []
    dom_excerpt: str | None = None
    screenshot: str | None = None
    fingerprint: dict[str, Any] | None = None
    """What the step's element looked like when recorded (this run's values filled in), to compare with
    the excerpt."""
    variables: dict[str, str] = {}
    """Run variables captured before the divergence (ids of records this run created)."""


class DivergenceError(Exception):
    """Raised by a replay that can no longer be sure of the page; carries the `Divergence`."""

    def __init__(self, divergence: Divergence) -> None:
        super().__init__(f"[{divergence.reason}] step {divergence.step_id}: {divergence.message}")
        self.divergence = divergence

    def to_json(self) -> str:
        """The divergence as indented JSON."""
        return self.divergence.model_dump_json(indent=2)


class TaskTerminated(Exception):
    """A terminate step ran: the recorded task ends here, unsuccessfully by design."""

    def __init__(self, step_id: str, reason: str) -> None:
        super().__init__(f"step {step_id} terminated the task: {reason}")
        self.step_id = step_id
        self.reason = reason
