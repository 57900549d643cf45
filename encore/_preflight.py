"""What a run can know before the browser starts: whether it can run as asked, and whether it needs the model.

Only the blocks every run goes through are judged (the top level of the workflow): a block inside a
branch or a loop may never run, so a missing model or cached version there is reported by that block.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from agent import AgentConfig

from ._cache import Cache, Slot
from ._workflow import CACHED_KINDS, ConditionalBlock, Workflow

__all__ = ["RunRefused", "check_run", "model_need"]


class RunRefused(ValueError):
    """The run cannot start as asked; the message says why and what to change."""


def model_need(workflow: Workflow, cache: Cache | None, cache_key: str, run_with: str) -> str | None:
    """Why this run will certainly ask the model (a block and its reason), or None when it may not.

    `cache` None stands for a cache that does not exist yet: nothing is cached.
    """
    for block, slot in _certain(workflow, cache_key):
        if isinstance(block, ConditionalBlock) and block.question is not None:
            return f"block {block.label} asks the model a question"
        if slot is None:
            continue
        if run_with == "agent":
            return f"block {block.label} runs with the agent"
        if cache is None or cache.latest(slot) is None:
            return f"block {block.label} has no cached version yet, so the agent records it"
    return None


def check_run(
    workflow: Workflow, cache: Cache | None, cache_key: str, run_with: str, config: AgentConfig | None
) -> None:
    """Refuse, before any browser starts, a run that cannot work: nothing to replay, or no model it needs."""
    if run_with == "code_only":
        for block, slot in _certain(workflow, cache_key):
            if isinstance(block, ConditionalBlock) and block.question is not None:
                raise RunRefused(f"block {block.label} asks the model a question; run_with='code_only' never does")
            if slot is not None and (cache is None or cache.latest(slot) is None):
                raise RunRefused(
                    f"block {block.label}: nothing cached for {slot.describe()};"
                    " run_with='code_only' only replays cached code"
                )
        return
    need = model_need(workflow, cache, cache_key, run_with)
    if need is not None:
        try:
            (config or AgentConfig.from_env()).client_key()
        except ValueError as exc:  # ConfigError: say which block needs the model
            raise type(exc)(f"{need}: {exc}") from None


def _certain(workflow: Workflow, cache_key: str) -> Iterator[tuple[Any, Slot | None]]:
    for block in workflow.blocks:
        cached = block.kind in CACHED_KINDS
        yield block, (Slot(workflow.id, cache_key, block.label, "") if cached else None)
