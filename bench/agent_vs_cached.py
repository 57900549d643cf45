"""Agent vs cached: LLM calls, tokens and wall time of each example workflow's first run and its cached run.

    .venv/bin/python -m bench.agent_vs_cached

The first run has no cache, so the agent does every cached-kind block and its run is compiled; the
second replays the code. The agent talks to the scripted stand-in model on 127.0.0.1 through the real
openai + instructor stack, so calls and tokens are what that exchange used, but the wall time holds no
model latency (the stand-in answers in milliseconds): with a hosted model, add its latency per call.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from agent import AgentConfig
from encore import run_workflow
from examples.model import ScriptedModel
from examples.site.server import PASSWORD, ExampleSite
from examples.workflows.answers import FIRST_RUN_ANSWERS

from ._common import markdown_table

__all__ = ["main", "run"]

WORKFLOWS = Path(__file__).resolve().parent.parent / "examples" / "workflows"


async def run() -> list[list[Any]]:
    rows = []
    for name, answers in FIRST_RUN_ANSWERS.items():
        with ExampleSite() as site, ScriptedModel() as model, tempfile.TemporaryDirectory() as tmp:
            model.script(*answers)
            config = AgentConfig(model="gpt-4o-mini", api_key="scripted", base_url=model.url, vision=False)
            results = []
            for _ in range(2):
                results.append(
                    await run_workflow(
                        WORKFLOWS / name, {"site": site.url, "password": PASSWORD}, config=config,
                        cache=Path(tmp) / "cache.sqlite", runs_dir=Path(tmp) / "runs", playwright_trace=False,
                    )
                )
            if model.errors:
                raise RuntimeError(f"{name}: the scripted model reported {model.errors}")
        first, cached = results
        for label, result in (("agent (first run)", first), ("cached code", cached)):
            if result.status != "succeeded":
                raise RuntimeError(f"{name} {label}: {result.status}: {result.message}")
        rows.append(
            [name, first.llm_calls, first.prompt_tokens + first.completion_tokens, f"{first.seconds:.2f} s",
             cached.llm_calls, cached.prompt_tokens + cached.completion_tokens, f"{cached.seconds:.2f} s",
             f"{first.seconds / cached.seconds:.1f}x"]
        )
    return rows


HEADER = ["workflow", "agent: LLM calls", "agent: tokens", "agent: wall", "cached: LLM calls", "cached: tokens",
          "cached: wall", "wall ratio"]


def main() -> None:
    print(markdown_table(HEADER, asyncio.run(run())))


if __name__ == "__main__":
    main()
