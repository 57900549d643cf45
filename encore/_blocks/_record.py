"""The agent does a block from its start; on success its trace becomes the slot's next cached version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from agent import Agent, StepOutcome
from tracer import Recorder

from .._cache import Slot
from .._result import BlockResult, StepReport
from .._selectors import selector_code, step_target
from .._templates import render

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["agent_step", "record"]


async def record(run: Run, block: Any, branch: str, scope: dict[str, Any], slot: Slot) -> BlockResult:
    """The agent does the block from its start page; with engine="record" its trace is cached."""
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
            result.message = run.redactor(f"cannot open {url}: {str(exc).splitlines()[0]}")
            return result
    agent = Agent(
        run.page, task, config=run.config, llm=run.llm(), recorder=recorder,
        on_step=lambda step: run.step_done(block.label, agent_step(step, recorder)),
    )
    outcome = await agent.run(block.max_steps)
    run.page = recorder.page
    result.steps = [agent_step(s, recorder) for s in outcome.steps]
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


def agent_step(outcome: StepOutcome, recorder: Recorder) -> StepReport:
    """An agent step as the report lists it, with the best selector the recorder kept for its element."""
    recorded = next((s for s in recorder.steps if s.id == outcome.step_id), None) if outcome.step_id else None
    target = step_target(recorded)
    return StepReport(
        step_id=f"agent-{outcome.number}",
        action=outcome.action,
        intention=outcome.intention,
        mode="agent",
        seconds=outcome.seconds,
        selector=selector_code(target) if target is not None else None,
        candidate=0 if target is not None else None,
        ok=outcome.ok,
        error=outcome.error,
    )
