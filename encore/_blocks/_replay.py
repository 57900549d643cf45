"""A block replayed from its cached script; an element the page lost is healed in place, one model call each."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from runtime import DivergenceError, StepResult, TaskTerminated, load_params, load_script

from .._cache import Slot, Version
from .._result import BlockResult, StepReport
from .._splice import replace_targets
from ._heal import ElementHealer, heal_block

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["code_step", "replay"]


async def replay(run: Run, block: Any, branch: str, scope: dict[str, Any], slot: Slot, version: Version) -> BlockResult:
    module = load_script(run.cache.script_path(version))
    trace = version.trace()
    fields = module.Params.model_fields
    values = {**run.params, **run.loop_params(scope), **run.secrets}
    params = load_params(module, {k: v for k, v in values.items() if k in fields})
    results: list[StepResult] = []
    healer = ElementHealer(run, trace) if run.heal else None
    options = replace(
        run.replay_options,
        artifacts_dir=run.run_dir / "artifacts" / block.label,
        on_step=results.append,
        healer=healer,
    )
    result = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="code", ok=True, version=version.version)
    pages_before = set(run.page.context.pages)
    try:
        outputs = await module.run(run.page, params, options)
    except DivergenceError as error:
        run.follow_new_page(pages_before)
        result.steps = [code_step(r) for r in results]
        return await heal_block(run, block, scope, slot, trace, error.divergence, results, healer, result)
    except TaskTerminated as stop:
        result.ok, result.message = False, f"the recorded task terminates: {stop.reason}"
        return result
    run.follow_new_page(pages_before)
    result.steps = [code_step(r) for r in results]
    captured = run.outputs.get("vars", {})
    run.outputs.update(outputs)
    run.outputs["vars"] = captured  # put back, then added to: each block adds to the run's variables
    run.add_variables(outputs.get("vars", {}))
    healed = healer.healed(results) if healer else {}
    if not healed:
        run.cache.record_outcome(slot, healed=False)
        return result
    result.mode = "healed_element"
    stored, note = run.store(slot, replace_targets(trace, healed), "healed_element", healing=True)
    result.new_version = stored.version if stored else None
    result.heal_loop = note.startswith("heal loop")
    result.message = note or f"re-recorded the element of {', '.join(sorted(healed))}"
    return result


def code_step(result: StepResult) -> StepReport:
    """A replayed step as the report lists it."""
    return StepReport(
        step_id=result.step_id,
        action=result.action,
        intention=result.intention,
        mode="healed" if result.healed else "code",
        seconds=result.seconds,
        selector=result.selector,
    )
