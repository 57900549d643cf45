"""`task`, `extraction` and `login` blocks: the cached script when there is one, else the agent records one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runtime import ScriptError

from .._cache import CacheError
from .._result import BlockResult
from ._exclusive import HealGuard
from ._record import record
from ._replay import replay

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["run_cached"]


async def run_cached(run: Run, block: Any, branch: str, scope: dict[str, Any]) -> BlockResult:
    """Replay the slot's version (pinned first, else newest); the agent records when there is none."""
    slot = run.slot(block, branch)
    try:
        version = run.cache.latest(slot) if run.run_with != "agent" else None
    except CacheError as exc:  # an unreadable cache costs a recording, not the run
        if run.run_with == "code_only":
            return BlockResult(
                label=block.label, kind=block.kind, branch=branch, mode="skipped", ok=False,
                message=f"the cache cannot be read ({exc}), and run_with='code_only' never asks the agent",
            )
        result = await record(run, block, branch, scope, slot)
        result.message = f"the cache cannot be read ({exc}); recorded anew; {result.message}"
        return result
    if version is None and run.run_with == "code_only":
        return BlockResult(
            label=block.label, kind=block.kind, branch=branch, mode="skipped", ok=False,
            message=f"nothing cached for {slot.describe()}, and run_with='code_only' never asks the agent",
        )
    if version is None and run.run_with == "code" and run.engine == "record":
        return await _first_record(run, block, branch, scope, slot)
    if version is None:
        return await record(run, block, branch, scope, slot)
    try:
        return await replay(run, block, branch, scope, slot, version)
    except ScriptError as exc:
        blocked = run.heal_blocked(version) if run.heal else ""
        if blocked:  # a pinned version or a code-only run: the agent does not take over
            return BlockResult(
                label=block.label, kind=block.kind, branch=branch, mode="code", ok=False, version=version.version,
                pinned=version.pinned, message=f"cached version {version.version} cannot run ({exc}); {blocked}",
            )
        message = f"cached version {version.version} cannot run ({exc}); recording anew"
        result = await record(run, block, branch, scope, slot)
        result.message = f"{message}; {result.message}"
        return result


async def _first_record(run: Run, block: Any, branch: str, scope: dict[str, Any], slot: Any) -> BlockResult:
    """Record an uncached slot under its heal lock: runs started together record it once, the others replay it."""
    guard = HealGuard(run, slot, None)
    try:
        if await guard.claim():
            return await record(run, block, branch, scope, slot)
    finally:
        guard.release()
    if guard.newer is None:
        return BlockResult(label=block.label, kind=block.kind, branch=branch, mode="agent", ok=False,
                           message=f"not recorded: {guard.why_not()}")
    return await replay(run, block, branch, scope, slot, guard.newer)
