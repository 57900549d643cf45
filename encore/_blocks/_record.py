"""The agent does a block from its start; on success its trace becomes the slot's next cached version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from agent import Agent, redact
from tracer import Recorder

from .._cache import Slot
from .._result import BlockResult, StepReport
from .._templates import render

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["agent_step", "record"]


async def record(run: Run, block: Any, branch: str, scope: dict[str, Any], slot: Slot) -> BlockResult:
    goal = run.goal(block, scope)
    task = run.task(block, scope, goal)
    recorder = Recorder(
        run.page,
        trace_id=f"{run.workflow.id}.{block.label}",
        title=goal[:200],
        params=task.params,
        secrets=task.secrets,
        block=block.label,
        block_kind=block.kind,
    )
    result = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="agent", ok=False)
    if block.url:
        url = render(block.url, run.context(scope), f"block {block.label}: url")
        try:
            await recorder.goto(url, f"Open the start page of {block.label}")
        except PlaywrightError as exc:
            result.message = redact(f"cannot open {url}: {str(exc).splitlines()[0]}", run.secrets)
            return result
    outcome = await Agent(run.page, task, config=run.config, llm=run.llm(), recorder=recorder).run(block.max_steps)
    run.page = recorder.page
    result.steps = [agent_step(s) for s in outcome.steps]
    result.ok = outcome.ok
    if not outcome.ok:
        result.message = f"agent {outcome.status}: {outcome.message}"
        return result
    result.message = outcome.message or "completed by the agent"
    run.outputs.update(outcome.outputs)
    run.add_variables(recorder.data.variables)
    if run.engine == "record" and outcome.trace is not None:
        stored, note = run.store(slot, outcome.trace, "agent")
        result.new_version = stored.version if stored else None
        result.message = note or result.message
    return result


def agent_step(outcome: Any) -> StepReport:
    """An agent step as the report lists it."""
    return StepReport(
        step_id=f"agent-{outcome.number}",
        action=outcome.action,
        intention=outcome.intention,
        mode="agent",
        seconds=outcome.seconds,
        ok=outcome.ok,
        error=outcome.error,
    )
