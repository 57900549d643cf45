"""`code` blocks: the workflow author's own Python snippet, run live (top-level `await` allowed)."""

from __future__ import annotations

import ast
import asyncio
import inspect
from typing import TYPE_CHECKING, Any

from .._result import BlockResult
from .._workflow import CodeBlock

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["run_code"]


async def run_code(run: Run, block: CodeBlock, branch: str, scope: dict[str, Any]) -> BlockResult:
    namespace = {
        "page": run.page,
        "params": dict(run.context(scope)["params"]),
        "secrets": dict(run.secrets),
        "outputs": run.outputs,
        "asyncio": asyncio,
    }
    message = "ran"
    try:
        code = compile(block.code, f"<block {block.label}>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        value = eval(code, namespace)
        if inspect.iscoroutine(value):
            await value
    except Exception as exc:  # noqa: BLE001 - whatever the snippet raised is the block's failure
        message = run.redactor(f"failed: {type(exc).__name__}: {exc}")
    return BlockResult(
        label=block.label, kind=block.kind, branch=branch, mode="live", ok=message == "ran", message=message
    )
