"""`wait` blocks: a pause, a URL pattern or a visible text, live, with a timeout."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING, Any

from playwright.async_api import Error as PlaywrightError

from runtime import url_matches

from .._result import BlockResult
from .._templates import render
from .._workflow import WaitBlock

if TYPE_CHECKING:
    from .._run import Run

__all__ = ["run_wait"]


async def run_wait(run: Run, block: WaitBlock, branch: str, scope: dict[str, Any]) -> BlockResult:
    message = await _wait(run, block, scope)
    ok = not message.startswith("timed out")
    return BlockResult(label=block.label, kind=block.kind, branch=branch, mode="live", ok=ok, message=message)


async def _wait(run: Run, block: WaitBlock, scope: dict[str, Any]) -> str:
    if block.seconds:
        await asyncio.sleep(block.seconds)
    deadline = time.monotonic() + block.timeout_s
    if block.url:
        pattern = render(block.url, run.context(scope), f"block {block.label}: url")
        while not url_matches(run.page.url, pattern):
            if time.monotonic() > deadline:
                return f"timed out waiting for URL {pattern}"
            await asyncio.sleep(0.1)
    if block.text:
        text = render(block.text, run.context(scope), f"block {block.label}: text")
        try:
            await run.page.get_by_text(text).first.wait_for(timeout=block.timeout_s * 1000)
        except PlaywrightError:
            return f"timed out waiting for text {text!r}"
    return "waited"
