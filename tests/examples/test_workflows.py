"""The example workflows run: the first time through the agent (scripted model), then from cached code."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser

from agent import AgentConfig
from encore import load_workflow, run_workflow
from examples.model import ScriptedModel
from examples.site.server import PASSWORD
from examples.workflows.answers import FIRST_RUN_ANSWERS

from ..conftest import ROOT

WORKFLOWS = ROOT / "examples" / "workflows"


@pytest.mark.parametrize("name", sorted(FIRST_RUN_ANSWERS))
async def test_example_workflow_records_then_replays(
    name: str, serve, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    model.script(*FIRST_RUN_ANSWERS[name])
    results = []
    for _ in range(2):
        context = await browser.new_context()
        try:
            results.append(
                await run_workflow(
                    WORKFLOWS / name, {"site": site.url, "password": PASSWORD}, page=await context.new_page(),
                    config=config, cache=tmp_path / "c.sqlite", runs_dir=tmp_path / "runs", playwright_trace=False,
                )
            )
        finally:
            await context.close()
    first, cached = results
    assert first.status == "succeeded", first.message
    assert cached.status == "succeeded", cached.message
    assert first.llm_calls == len(FIRST_RUN_ANSWERS[name]) and cached.llm_calls == 0
    cached_kinds = {"task", "navigation", "action", "extraction", "login"}
    assert {b.mode for b in cached.blocks if b.kind in cached_kinds} == {"code"}
    # Extracted data is the same; the ids each run created (run variables) are each run's own.
    assert {k: v for k, v in first.outputs.items() if k != "vars"} == {k: v for k, v in cached.outputs.items() if k != "vars"}
    if name == "order_history.yaml":
        assert cached.outputs["summary"] == "3 orders, 1070.49 spent"
    if name == "gift_order.yaml":
        assert len(site.orders) == 2 and all("gift wrap no" in order for order in site.orders.values())
        assert {first.outputs["vars"]["order_id"], cached.outputs["vars"]["order_id"]} == set(site.orders)


def test_every_example_workflow_has_first_run_answers() -> None:
    files = {path.name for path in WORKFLOWS.glob("*.yaml")}
    assert files == set(FIRST_RUN_ANSWERS)
    for file in files:
        load_workflow(WORKFLOWS / file)
