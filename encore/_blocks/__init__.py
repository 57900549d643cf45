"""One handler per workflow block kind, as codegen has one emitter per action kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from .._result import BlockResult
from .._workflow import (
    CodeBlock,
    ConditionalBlock,
    ExtractionBlock,
    ForLoopBlock,
    GotoBlock,
    LoginBlock,
    TaskBlock,
    WaitBlock,
)
from ._cached import run_cached
from ._code import run_code
from ._conditional import run_conditional
from ._goto import run_goto
from ._loop import run_loop
from ._wait import run_wait

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["HANDLERS", "Handler", "handler_for"]

Handler = Callable[["Run", Any, str, dict[str, Any]], Awaitable[BlockResult | None]]
"""(run, block, branch, scope) -> the block's result, or None for a container that reported itself."""

HANDLERS: dict[type, Handler] = {
    TaskBlock: run_cached,
    ExtractionBlock: run_cached,
    LoginBlock: run_cached,
    GotoBlock: run_goto,
    WaitBlock: run_wait,
    CodeBlock: run_code,
    ConditionalBlock: run_conditional,
    ForLoopBlock: run_loop,
}


def handler_for(block: Any) -> Handler:
    return HANDLERS[type(block)]
