"""What a run reports: per block, how it ran (code, healed, agent, live), its time, LLM use, divergence and repairs."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from runtime import CandidateOutcome, Divergence

__all__ = ["EXIT_CODES", "BlockResult", "Mode", "Repair", "RunResult", "StepReport"]

Mode = Literal["code", "healed_element", "healed_block", "agent", "live", "skipped"]

# Cron-friendly: succeeded 0, succeeded-after-healing 3, failed 1 (bad input exits 2 from the CLI).
EXIT_CODES = {"succeeded": 0, "healed": 3, "failed": 1}
"""The `encore` exit code of each run status (bad input exits 2)."""

_RAN = {
    "code": "from cached code",
    "healed_element": "healed (element)",
    "healed_block": "healed (re-recorded)",
    "agent": "by the agent",
    "live": "live",
    "skipped": "skipped",
}


class StepReport(BaseModel):
    """One step of a block as the report lists it: how it ran and on which selector."""

    model_config = ConfigDict(extra="forbid")

    step_id: str
    action: str
    intention: str
    mode: Literal["code", "healed", "agent"]
    seconds: float
    selector: str | None = Field(None, description="The locator the step ran on, as it reads in the script.")
    candidate: int | None = Field(None, description="Index of the candidate that verified (0 is the first).")
    fallback: bool = Field(False, description="The step ran on a candidate other than the first, or on a healed one.")
    score: float | None = Field(None, description="The fingerprint score of the element it ran on.")
    ok: bool = True
    error: str | None = None


class Repair(BaseModel):
    """One element the model re-found during a replay: why it was asked, what it answered, what changed."""

    model_config = ConfigDict(extra="forbid")

    step_id: str
    intention: str
    reason: str = Field(description="Why the recorded candidates failed (element_missing, ambiguous, ...).")
    candidates: list[CandidateOutcome] = Field(default_factory=list, description="The recorded candidates on the page then.")
    element: int | None = Field(None, description="The element number the model chose in its observation.")
    confidence: float | None = None
    explanation: str = Field("", description="The model's reason, or why its answer was not taken.")
    score: float | None = Field(None, description="The chosen element's fingerprint score against the recording.")
    accepted: bool = False
    before: list[str] = Field(default_factory=list, description="The recorded selectors, best first.")
    after: list[str] = Field(default_factory=list, description="The selectors recorded for the element the model chose.")
    screenshot_before: str | None = Field(None, description="The page when the element could not be found.")
    screenshot_after: str | None = Field(None, description="The element the model chose.")


class BlockResult(BaseModel):
    """One block of a run: how it ran, its steps, and what a divergence or a repair left behind."""

    model_config = ConfigDict(extra="forbid")

    label: str
    kind: str
    branch: str = ""
    mode: Mode
    ok: bool
    seconds: float = 0.0
    version: int | None = Field(None, description="The cached version that ran (code modes).")
    new_version: int | None = Field(None, description="The version this run stored, if any.")
    pinned: bool = Field(False, description="The version that ran is pinned: it is never healed or regenerated.")
    llm_calls: int = 0
    failed_llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    steps: list[StepReport] = Field(default_factory=list)
    divergence: Divergence | None = None
    repairs: list[Repair] = Field(default_factory=list)
    script_diff: str | None = Field(None, description="Unified diff of the script, the version that ran -> new_version.")
    message: str = ""
    heal_loop: bool = Field(False, description="Healed on too many consecutive runs: reported, not regenerated.")


class RunResult(BaseModel):
    """One run of a task or workflow; also written as result.json beside report.html."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    workflow: str
    cache_key: str
    run_with: Literal["code", "agent", "code_only"]
    status: Literal["succeeded", "healed", "failed"]
    seconds: float
    blocks: list[BlockResult] = Field(default_factory=list)
    outputs: dict[str, Any] = Field(default_factory=dict)
    llm_calls: int = 0
    failed_llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    message: str = ""
    report: str | None = None
    playwright_trace: str | None = None
    warnings: list[str] = Field(default_factory=list, description="Secrets that cannot be redacted reliably, recoveries.")

    @property
    def exit_code(self) -> int:
        """0 succeeded, 3 succeeded after healing, 1 failed."""
        return EXIT_CODES[self.status]

    @property
    def what_ran(self) -> str:
        """How the blocks actually ran, e.g. "2 blocks from cached code, 1 by the agent, 1 live"."""
        counts = Counter(block.mode for block in self.blocks)
        parts = [f"{counts[mode]} {_RAN[mode]}" for mode in _RAN if counts[mode]]
        if not parts:
            return "no blocks ran"
        parts[0] = parts[0].replace(" ", f" block{'s' if counts[next(m for m in _RAN if counts[m])] != 1 else ''} ", 1)
        return ", ".join(parts)

    def block(self, label: str) -> BlockResult:
        """The last result of the block labelled `label` (loops run a block several times)."""
        for result in reversed(self.blocks):
            if result.label == label:
                return result
        raise KeyError(label)
