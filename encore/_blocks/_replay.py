"""A block replayed from its cached script; an element the page lost is healed in place, one model call each."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from runtime import DivergenceError, StepResult, TaskTerminated, load_params, load_script
from tracer import Step, Target

from .._cache import CacheError, Slot, Version
from .._diff import script_diff
from .._result import BlockResult, StepReport
from .._selectors import selector_code, step_target
from .._splice import replace_targets
from ._exclusive import HealGuard
from ._heal import ElementHealer, heal_block

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["code_step", "replay"]


async def replay(run: Run, block: Any, branch: str, scope: dict[str, Any], slot: Slot, version: Version) -> BlockResult:
    """Run `version`'s script on the live page; heal what diverged unless healing is not allowed for it."""
    guard = HealGuard(run, slot, version)
    try:
        return await _replay(run, block, branch, scope, slot, version, guard)
    finally:
        guard.release()  # held from the first heal of this block until its new version is stored


async def _replay(
    run: Run, block: Any, branch: str, scope: dict[str, Any], slot: Slot, version: Version, guard: HealGuard
) -> BlockResult:
    module = load_script(run.cache.script_path(version))
    trace = version.trace()
    steps = {step.id: step for b in trace.blocks for step in b.steps}
    fields = module.Params.model_fields
    values = {**run.params, **run.loop_params(scope), **run.secrets}
    params = load_params(module, {k: v for k, v in values.items() if k in fields})
    results: list[StepResult] = []
    artifacts = run.run_dir / "artifacts" / block.label
    # A pinned version, a code-only run or --no-heal get no healer: nothing here can reach the model.
    healer = None if run.heal_blocked(version) else ElementHealer(run, trace, artifacts, block.label, guard)

    def on_step(step: StepResult) -> None:
        results.append(step)
        run.step_done(block.label, code_step(step, steps, healer.targets if healer else {}))

    # Every setting the caller gave (timeouts, base URL, upload folder...) carries over; the run owns these three.
    options = dataclasses.replace(run.replay_options, artifacts_dir=artifacts, on_step=on_step, healer=healer)
    result = BlockResult(
        label=block.label, kind=block.kind, branch=branch, mode="code", ok=True, version=version.version,
        pinned=version.pinned,
    )
    pages_before = set(run.page.context.pages)
    healed_targets = healer.targets if healer else {}
    try:
        outputs = await module.run(run.page, params, options)
    except DivergenceError as error:
        run.follow_new_page(pages_before)
        result.steps = [code_step(r, steps, healed_targets) for r in results]
        result.repairs = healer.report(results) if healer else []
        return await heal_block(run, block, scope, slot, version, error.divergence, results, healer, result, guard)
    except TaskTerminated as stop:
        result.ok, result.message = False, f"the recorded task terminates: {stop.reason}"
        return result
    run.follow_new_page(pages_before)
    result.steps = [code_step(r, steps, healed_targets) for r in results]
    result.repairs = healer.report(results) if healer else []
    captured = run.outputs.get("vars", {})
    run.outputs.update(outputs)
    run.outputs["vars"] = captured  # put back, then added to: each block adds to the run's variables
    run.add_variables(outputs.get("vars", {}))
    healed = healer.healed(results) if healer else {}
    if not healed:
        try:
            run.cache.record_outcome(slot, healed=False)
        except CacheError as exc:  # the replay succeeded; only its bookkeeping failed
            result.message = f"the cache could not record this run: {exc}"
        return result
    result.mode = "healed_element"
    if guard.newer is not None:  # the repair came from the version another run stored: nothing new to store
        result.message = f"used the repair of {', '.join(sorted(healed))} stored in version {guard.newer.version}"
        return result
    stored, note = run.store(
        slot, replace_targets(trace, healed), "healed_element", healing=True, parent=version.version
    )
    result.new_version = stored.version if stored else None
    result.script_diff = script_diff(version, stored)
    result.heal_loop = note.startswith("heal loop")
    result.message = note or f"re-recorded the element of {', '.join(sorted(healed))}"
    return result


def code_step(result: StepResult, steps: dict[str, Step], healed: dict[str, Target]) -> StepReport:
    """A replayed step as the report lists it: the selector it ran on, as the script spells it."""
    target = healed.get(result.step_id) if result.healed else step_target(steps.get(result.step_id))
    selector = result.selector
    if target is not None and result.candidate_index is not None:
        selector = selector_code(target, result.candidate_index)
    return StepReport(
        step_id=result.step_id,
        action=result.action,
        intention=result.intention,
        mode="healed" if result.healed else "code",
        seconds=result.seconds,
        selector=selector,
        candidate=result.candidate_index,
        fallback=result.used_fallback,
        score=result.score,
    )
