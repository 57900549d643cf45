"""Healing a replayed block: one element re-found by the model, or the block's tail re-recorded by the agent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from agent import Agent, ConfigError, LLMError, locate
from runtime import Divergence, HealRequest, StepResult
from tracer import Recorder, RecorderError, RunData, Step, Target, Trace, UrlMatches, record_target
from tracer._data import stem_of

from .._cache import Slot
from .._result import BlockResult, StepReport
from .._splice import replace_targets, splice
from ._record import agent_step

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["ElementHealer", "heal_block"]

# Divergences found after the step's action already ran (its post-conditions failed).
_PERFORMED = frozenset({"unexpected_url", "postcondition_failed"})


class ElementHealer:
    """The runtime's healer: one `locate` call per failing step, and the element re-recorded as a Target."""

    def __init__(self, run: Run, trace: Trace) -> None:
        self.run = run
        self.steps = {step.id: step for block in trace.blocks for step in block.steps}
        self.targets: dict[str, Target] = {}
        self.notes: list[str] = []

    async def __call__(self, request: HealRequest) -> Target | None:
        step = self.steps.get(request.step_id)
        recorded = getattr(step.action, "target", None) if step else None
        if recorded is None:
            return None
        fingerprint = request.fingerprint or recorded.fingerprint  # this run's values, when templated
        try:
            llm = self.run.llm()
            found = await locate(
                request.page, request.intention, fingerprint, config=llm.config, llm=llm, secrets=self.run.secrets
            )
        except (LLMError, ConfigError) as exc:
            self.notes.append(f"{request.step_id}: {exc}")
            return None
        if found.element is None:
            self.notes.append(f"{request.step_id}: {found.reason}")
            return None
        try:
            data = RunData.of(self.run.params, request.variables)  # the new target keeps generalising
            _, target = await record_target(request.page, found.element, data=data)
        except (RecorderError, PlaywrightError) as exc:
            self.notes.append(f"{request.step_id}: {exc}")
            return None
        self.targets[request.step_id] = target
        return target

    def healed(self, results: list[StepResult]) -> dict[str, Target]:
        """Step id -> the target this healer found, for the steps the replay ran on it."""
        return {r.step_id: self.targets[r.step_id] for r in results if r.healed and r.step_id in self.targets}


async def heal_block(
    run: Run,
    block: Any,
    scope: dict[str, Any],
    slot: Slot,
    trace: Trace,
    divergence: Divergence,
    results: list[StepResult],
    healer: ElementHealer | None,
    result: BlockResult,
) -> BlockResult:
    """The agent finishes the block from where the code stopped; what ran before is kept as it was."""
    result.divergence = divergence
    result.ok = False
    failed_step = next((s for b in trace.blocks for s in b.steps if s.id == divergence.step_id), None)
    result.steps.append(
        StepReport(
            step_id=divergence.step_id,
            action=failed_step.action.kind if failed_step else "?",
            intention=divergence.intention,
            mode="code",
            seconds=0.0,
            ok=False,
            error=f"{divergence.reason}: {divergence.message}",
        )
    )
    if not run.heal:
        result.message = f"diverged at {divergence.step_id}: {divergence.message}"
        return result
    steps = [step for b in trace.blocks for step in b.steps]
    index = next((i for i, s in enumerate(steps) if s.id == divergence.step_id), len(steps))
    healed = healer.healed(results) if healer else {}
    steps = [step for b in replace_targets(trace, healed).blocks for step in b.steps]
    kept = steps[:index]
    if divergence.reason in _PERFORMED and index < len(steps):
        # The action ran and the page went elsewhere: keep the action, the agent takes it from there.
        kept.append(steps[index].model_copy(update={"postconditions": ()}))
    goal = run.goal(block, scope)
    if kept:
        done = "; ".join(f"{n}. {s.intention}" for n, s in enumerate(kept, 1))
        goal += f"\n\nThese steps of the task already ran: {done}. Continue from the current page."
    task = run.task(block, scope, goal)
    recorder = Recorder(
        run.page, trace_id=trace.id, title=trace.title, params=task.params, secrets=task.secrets,
        block=block.label, block_kind=block.kind,
    )
    _known_variables(recorder, kept, divergence)
    outcome = await Agent(run.page, task, config=run.config, llm=run.llm(), recorder=recorder).run(block.max_steps)
    run.page = recorder.page
    result.steps += [agent_step(s) for s in outcome.steps]
    if not outcome.ok or outcome.trace is None:
        result.message = (
            f"diverged at {divergence.step_id} ({divergence.reason}) and the agent could not finish the block:"
            f" {outcome.status}: {outcome.message}; version {result.version} stays cached"
        )
        return result
    run.outputs.update(outcome.outputs)
    run.add_variables(recorder.data.variables)
    result.ok, result.mode = True, "healed_block"
    stored, note = run.store(slot, splice(trace, kept, outcome.trace), "healed_block", healing=True)
    result.new_version = stored.version if stored else None
    result.heal_loop = note.startswith("heal loop")
    result.message = note or f"re-recorded from {divergence.step_id} ({divergence.reason}); kept {len(kept)} steps"
    return result


def _known_variables(recorder: Recorder, kept: list[Step], divergence: Divergence) -> None:
    """The ids the kept steps captured stay run variables for the re-recorded tail (issue 12)."""
    captured = {
        ref.name
        for step in kept
        for condition in step.postconditions
        if isinstance(condition, UrlMatches) and condition.template is not None
        for ref in condition.template.refs()
        if ref.kind == "capture"
    }
    for name, value in sorted(divergence.variables.items()):
        if name in captured:
            recorder.data.define(name, value, stem_of(name))
