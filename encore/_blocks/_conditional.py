"""`conditional` blocks: `then` or `else`, by an expression or a yes/no question to the model."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from agent import ask_page

from .._result import BlockResult
from .._templates import evaluate, render
from .._workflow import ConditionalBlock

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["run_conditional"]


async def run_conditional(run: Run, block: ConditionalBlock, branch: str, scope: dict[str, Any]) -> None:
    """Decide, report the decision (with the question's model use), then run the chosen arm's blocks."""
    started, mark = time.perf_counter(), run.usage.llm_calls
    if block.condition is not None:
        decided = bool(evaluate(block.condition, run.context(scope), f"block {block.label}: if"))
        how = f"`{block.condition}` is {decided}"
    else:
        question = render(block.question or "", run.context(scope), f"block {block.label}: question")
        llm = run.llm()
        answer = await ask_page(run.page, question, config=llm.config, llm=llm, secrets=run.secrets)
        decided, how = answer.answer, f"the model answered {'yes' if answer.answer else 'no'}: {answer.reason}"
    arm = "then" if decided else "else"
    result = BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=True, message=f"{how}: {arm}")
    run.account(result, started, mark)
    run.add(result)
    await run.blocks(block.then if decided else block.otherwise, f"{branch}/{block.label}:{arm}", scope)
