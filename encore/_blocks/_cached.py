"""`task`, `extraction` and `login` blocks: the cached script when there is one, else the agent records one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runtime import ScriptError

from .._cache import CacheError
from .._result import BlockResult
from ._record import record
from ._replay import replay

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["run_cached"]


async def run_cached(run: Run, block: Any, branch: str, scope: dict[str, Any]) -> BlockResult:
    slot = run.slot(block, branch)
    try:
        version = run.cache.latest(slot) if run.run_with == "code" else None
    except CacheError as exc:  # an unreadable cache costs a recording, not the run
        result = await record(run, block, branch, scope, slot)
        result.message = f"the cache cannot be read ({exc}); recorded anew; {result.message}"
        return result
    if version is None:
        return await record(run, block, branch, scope, slot)
    try:
        return await replay(run, block, branch, scope, slot, version)
    except ScriptError as exc:
        message = f"cached version {version.version} cannot run ({exc}); recording anew"
        result = await record(run, block, branch, scope, slot)
        result.message = f"{message}; {result.message}"
        return result
