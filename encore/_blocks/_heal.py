"""Healing a replayed block: one element re-found by the model, or the block's tail re-recorded by the agent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page

from agent import Agent, ConfigError, LLMError, locate
from runtime import Divergence, HealRequest, StepResult, contradiction
from tracer import Recorder, RecorderError, RunData, Step, Target, Trace, UrlMatches, record_target
from tracer._data import stem_of

from .._cache import Slot, Version
from .._diff import script_diff
from .._result import BlockResult, Repair, StepReport
from .._selectors import selectors_code, step_target
from .._splice import replace_targets, splice
from ._exclusive import HealGuard
from ._record import agent_step

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["ElementHealer", "heal_block"]

# Divergences found after the step's action already ran (its post-conditions failed).
_PERFORMED = frozenset({"unexpected_url", "postcondition_failed"})


class ElementHealer:
    """The runtime's healer: one `locate` call per failing step, the element re-recorded as a Target.

    Each call leaves a `Repair` for the report: the candidates as they failed, the model's answer and
    confidence, the chosen element's score, the selectors before and after, and two screenshots.
    Only the run holding the slot's heal lock asks the model; a run that waited for another run's heal
    takes that heal's target for the step instead (the runtime verifies it like any other).
    """

    def __init__(self, run: Run, trace: Trace, artifacts: Path, label: str, guard: HealGuard) -> None:
        self.run = run
        self.guard = guard
        self.label = label
        self.steps = {step.id: step for block in trace.blocks for step in block.steps}
        self.artifacts = artifacts
        self.targets: dict[str, Target] = {}
        self.repairs: list[Repair] = []

    async def __call__(self, request: HealRequest) -> Target | None:
        step = self.steps.get(request.step_id)
        recorded = getattr(step.action, "target", None) if step else None
        if recorded is None:
            return None
        fingerprint = request.fingerprint or recorded.fingerprint  # this run's values, when templated
        if not await self.guard.claim():
            borrowed = self.guard.repaired_target(request.step_id)
            if borrowed is not None:
                self.targets[request.step_id] = borrowed
            return borrowed
        repair = Repair(
            step_id=request.step_id,
            intention=request.intention,
            reason=request.reason,
            candidates=list(request.candidates),
            before=selectors_code(recorded),
            screenshot_before=await _screenshot(request.page, self.artifacts / f"heal-{request.step_id}-before.png"),
        )
        self.repairs.append(repair)
        self.run.say(f"[{self.label}]   {request.step_id:<8} {request.reason}: asking the model to find the element")
        try:
            llm = self.run.llm()
            found = await locate(
                request.page, request.intention, fingerprint, config=llm.config, llm=llm, secrets=self.run.secrets
            )
        except (LLMError, ConfigError) as exc:
            repair.explanation = str(exc)
            return None
        repair.element, repair.confidence, repair.score = found.number, found.confidence, found.score
        repair.explanation = found.reason
        if found.element is None:
            return None
        try:
            data = RunData.of(self.run.params, request.variables)  # the new target keeps generalising
            _, target = await record_target(request.page, found.element, data=data)
        except (RecorderError, PlaywrightError) as exc:
            repair.explanation = f"{found.reason}; the element could not be recorded: {exc}"
            return None
        # Verified against the ORIGINAL element and the step's intention, not only against itself.
        problem = contradiction(fingerprint, request.intention, target.fingerprint or {})
        if problem:
            repair.explanation = f"{found.reason}; refused: {problem}"
            return None
        repair.after = selectors_code(target)
        try:
            shot = self.artifacts / f"heal-{request.step_id}-after.png"
            self.artifacts.mkdir(parents=True, exist_ok=True)
            await found.element.screenshot(path=shot, timeout=2_000)
            repair.screenshot_after = str(shot)
        except PlaywrightError:
            pass  # the evidence is a courtesy; the repair stands without it
        self.targets[request.step_id] = target
        return target

    def healed(self, results: list[StepResult]) -> dict[str, Target]:
        """Step id -> the target this healer found, for the steps the replay ran on it."""
        return {r.step_id: self.targets[r.step_id] for r in results if r.healed and r.step_id in self.targets}

    def report(self, results: list[StepResult]) -> list[Repair]:
        """The repairs, each marked accepted when the replay verified the new target and ran on it."""
        used = self.healed(results)
        for repair in self.repairs:
            repair.accepted = repair.step_id in used
        return self.repairs


async def _screenshot(page: Page, path: Path) -> str | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=path, timeout=5_000)
    except (PlaywrightError, OSError):
        return None
    return str(path)


async def heal_block(
    run: Run,
    block: Any,
    scope: dict[str, Any],
    slot: Slot,
    version: Version,
    divergence: Divergence,
    results: list[StepResult],
    healer: ElementHealer | None,
    result: BlockResult,
    guard: HealGuard,
) -> BlockResult:
    """The agent finishes the block from where the code stopped; what ran before is kept as it was."""
    trace = version.trace()
    result.divergence = divergence
    result.ok = False
    failed_step = next((s for b in trace.blocks for s in b.steps if s.id == divergence.step_id), None)
    target = step_target(failed_step)
    failed = StepReport(
        step_id=divergence.step_id,
        action=failed_step.action.kind if failed_step else "?",
        intention=divergence.intention,
        mode="code",
        seconds=0.0,
        selector=selectors_code(target)[0] if target else None,
        ok=False,
        error=f"{divergence.reason}: {divergence.message}",
    )
    result.steps.append(failed)
    run.step_done(block.label, failed)
    blocked = run.heal_blocked(version)
    if blocked:
        result.message = f"diverged at {divergence.step_id}: {divergence.message}; not healed: {blocked}"
        return result
    if not await guard.claim():
        result.message = f"diverged at {divergence.step_id}: {divergence.message}; {guard.why_not()}"
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
    run.say(f"[{block.label}] diverged at {divergence.step_id} ({divergence.reason}): the agent continues the block")
    _known_variables(recorder, kept, divergence)
    agent = Agent(
        run.page, task, config=run.config, llm=run.llm(), recorder=recorder,
        on_step=lambda step: run.step_done(block.label, agent_step(step, recorder)),
    )
    outcome = await agent.run(block.max_steps)
    run.page = recorder.page
    result.steps += [agent_step(s, recorder) for s in outcome.steps]
    if not outcome.ok or outcome.trace is None:
        result.message = (
            f"diverged at {divergence.step_id} ({divergence.reason}) and the agent could not finish the block:"
            f" {outcome.status}: {outcome.message}; version {result.version} stays cached"
        )
        return result
    run.outputs.update(outcome.outputs)
    run.add_variables(recorder.data.variables)
    result.ok, result.mode = True, "healed_block"
    parent = guard.version.version if guard.version else None
    stored, note = run.store(slot, splice(trace, kept, outcome.trace), "healed_block", healing=True, parent=parent)
    result.new_version = stored.version if stored else None
    result.script_diff = script_diff(version, stored)
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
