"""`for_loop` blocks: the body once per item; each cached body block is recorded once, replayed after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._result import BlockResult
from .._templates import TemplateProblem, evaluate
from .._workflow import ForLoopBlock

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["run_loop"]


async def run_loop(run: Run, block: ForLoopBlock, branch: str, scope: dict[str, Any]) -> None:
    items = evaluate(block.over, run.context(scope), f"block {block.label}: over")
    if not isinstance(items, (list, tuple)):
        raise TemplateProblem(f"block {block.label}: `over` gave {type(items).__name__}, not a list")
    run.add(
        BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=True, message=f"{len(items)} items")
    )
    for item in items:
        if run.failed:
            break
        await run.blocks(block.blocks, f"{branch}/{block.label}[]", {**scope, block.item: item})
