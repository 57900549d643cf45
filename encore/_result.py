"""What a run reports: per block, how it ran (code, healed, agent, live), its time, LLM use and divergence."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from runtime import Divergence

__all__ = ["BlockResult", "Mode", "RunResult", "StepReport", "EXIT_CODES"]

Mode = Literal["code", "healed_element", "healed_block", "agent", "live", "skipped"]

# Cron-friendly: succeeded 0, succeeded-after-healing 3, failed 1 (bad input exits 2 from the CLI).
EXIT_CODES = {"succeeded": 0, "healed": 3, "failed": 1}


class StepReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    step_id: str
    action: str
    intention: str
    mode: Literal["code", "healed", "agent"]
    seconds: float
    selector: str | None = None
    ok: bool = True
    error: str | None = None


class BlockResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    kind: str
    branch: str = ""
    mode: Mode
    ok: bool
    seconds: float = 0.0
    version: int | None = Field(None, description="The cached version that ran (code modes).")
    new_version: int | None = Field(None, description="The version this run stored, if any.")
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    steps: list[StepReport] = Field(default_factory=list)
    divergence: Divergence | None = None
    message: str = ""
    heal_loop: bool = Field(False, description="Healed on too many consecutive runs: reported, not regenerated.")


class RunResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run_id: str
    workflow: str
    cache_key: str
    run_with: Literal["code", "agent"]
    status: Literal["succeeded", "healed", "failed"]
    seconds: float
    blocks: list[BlockResult] = Field(default_factory=list)
    outputs: dict[str, Any] = Field(default_factory=dict)
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    message: str = ""
    report: str | None = None
    playwright_trace: str | None = None
    warnings: list[str] = Field(default_factory=list, description="Secrets that cannot be redacted reliably, recoveries.")

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def block(self, label: str) -> BlockResult:
        """The last result of the block labelled `label` (loops run a block several times)."""
        for result in reversed(self.blocks):
            if result.label == label:
                return result
        raise KeyError(label)
