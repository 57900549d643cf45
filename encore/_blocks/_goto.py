"""`goto` blocks: open a (templated) URL, live."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._result import BlockResult
from .._templates import render
from .._workflow import GotoBlock

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["run_goto"]


async def run_goto(run: Run, block: GotoBlock, branch: str, scope: dict[str, Any]) -> BlockResult:
    url = render(block.url, run.context(scope), f"block {block.label}: url")
    await run.page.goto(url, wait_until="load")
    return BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=True, message=f"opened {url}")
