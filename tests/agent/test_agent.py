"""The agent solves tasks on the example site through the real openai + instructor stack."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.async_api import Browser, Page

from agent import Agent, AgentConfig, Task
from codegen import compile_trace
from examples.model import ScriptedModel, raw
from examples.site.server import PASSWORD
from runtime import Options, load_params
from tracer import SecretRef, canonical_json

from ..runtime.helpers import EMAIL
from .scripted import ORDERS_SCHEMA, act, extract_orders, login_script


def _login_task() -> Task:
    return Task(goal="Sign in to the shop", params={"email": EMAIL}, secrets={"password": PASSWORD})


async def _replay(trace, page: Page, tmp_path: Path, values: dict) -> dict:
    """Compile the agent's trace, load it as a module, run it on a fresh page: no model involved."""
    script = tmp_path / "script.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    from runtime import load_script

    module = load_script(script)
    return await module.run(page, load_params(module, values), Options(artifacts_dir=tmp_path / "artifacts"))


async def test_login_task_records_a_trace_that_replays_without_a_model(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    model.script(*login_script())
    await page.goto(site.url + "/login")

    result = await Agent(page, _login_task(), config=config, trace_id="login").run()

    assert result.status == "completed", result
    assert page.url.endswith("/dashboard")
    assert [s.action for s in result.steps] == ["fill", "fill", "click", "complete"]
    trace = result.trace
    assert trace is not None
    kinds = [step.action.kind for block in trace.blocks for step in block.steps]
    assert kinds == ["fill", "fill", "click", "complete"]
    assert trace.blocks[0].steps[1].action.value == SecretRef(name="password")  # type: ignore[union-attr]
    assert PASSWORD not in canonical_json(trace)
    assert all(PASSWORD not in json.dumps(request) for request in model.requests)
    assert result.usage.llm_calls == len(model.requests) == 4
    assert result.usage.prompt_tokens > 0 and result.usage.cost_usd is not None and result.usage.cost_usd > 0

    context = await browser.new_context()
    try:
        fresh = await context.new_page()
        await fresh.goto(site.url + "/login")
        await _replay(trace, fresh, tmp_path, {"email": EMAIL, "password": PASSWORD})
        assert fresh.url.endswith("/dashboard")
    finally:
        await context.close()
    assert len(model.requests) == 4  # the replay asked nothing


async def test_invalid_answers_are_retried_with_the_validation_error(
    serve, page: Page, model: ScriptedModel, config: AgentConfig
) -> None:
    site = serve()
    first, *rest = login_script()
    bad_element = act("Type the e-mail", "fill", None, element=999, parameter="email")
    unknown_param = act("Type the e-mail", "fill", "E-mail", "textbox", parameter="username")
    model.script(raw("{this is not json"), bad_element, unknown_param, first, *rest)
    await page.goto(site.url + "/login")

    result = await Agent(page, _login_task(), config=config.with_overrides(max_retries=3)).run()

    assert result.status == "completed", result
    assert result.usage.llm_calls == len(model.requests) == 7
    sent = [json.dumps(request["messages"]) for request in model.requests]
    assert len(model.requests[0]["messages"]) == 2 and len(model.requests[1]["messages"]) > 2  # re-asked
    assert "element [999] does not exist" in sent[2]
    assert "unknown parameter 'username'" in sent[3]


async def test_extraction_reads_the_page_and_replays_to_the_same_data(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    model.script(
        act("Open the order history", "click", "Order history", "link"),
        extract_orders,
        act("Orders read", "complete", summary="3 orders"),
    )
    await page.goto(site.url + "/dashboard")
    task = Task(goal="List my orders and the total", outputs={"history": ORDERS_SCHEMA})

    result = await Agent(page, task, config=config, trace_id="orders").run()

    assert result.status == "completed", result
    history = result.outputs["history"]
    assert history["total"] == 1070.49
    assert history["orders"] == [
        {"order": "1001", "product": "Blue mug", "price": 12.5},
        {"order": "1002", "product": "Tea towel", "price": 8.0},
        {"order": "1003", "product": 'Teapot "Grand"', "price": 1049.99},
    ]
    assert result.trace is not None
    context = await browser.new_context()
    try:
        fresh = await context.new_page()
        await fresh.goto(site.url + "/dashboard")
        replayed = await _replay(result.trace, fresh, tmp_path, {})
    finally:
        await context.close()
    assert replayed["history"] == history


async def test_complete_before_the_required_outputs_is_refused(
    serve, page: Page, model: ScriptedModel, config: AgentConfig
) -> None:
    site = serve()
    model.script(act("Done", "complete"), extract_orders, act("Now done", "complete"))
    await page.goto(site.url + "/orders")
    task = Task(goal="Read the orders", outputs={"history": ORDERS_SCHEMA})

    result = await Agent(page, task, config=config).run()

    assert result.status == "completed"
    assert result.steps[0].ok is False and "extract the outputs ['history'] first" in (result.steps[0].error or "")
    assert "history" in model.requests[1]["messages"][1]["content"]


async def test_terminate_stops_with_the_reason(serve, page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    site = serve()
    model.script(act("Nothing to do here", "terminate", reason="the shop has no gift cards"))
    await page.goto(site.url + "/")
    result = await Agent(page, Task(goal="Buy a gift card"), config=config).run()
    assert (result.status, result.message) == ("terminated", "the shop has no gift cards")
    assert result.trace is None


async def test_max_steps_stops_the_run(serve, page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    site = serve()
    model.script(*[act("Scroll to look around", "scroll", direction="down")] * 2)
    await page.goto(site.url + "/dashboard")
    result = await Agent(page, Task(goal="Find the moon"), config=config).run(max_steps=2)
    assert result.status == "max_steps"
    assert [s.ok for s in result.steps] == [True, True]


async def test_repeated_failures_stop_the_run(serve, page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    site = serve()
    # Every answer is invalid: each step exhausts its retries; after max_failures steps the run fails.
    model.script(*[raw("[]")] * 6)
    await page.goto(site.url + "/")
    agent_config = config.with_overrides(max_retries=1, max_failures=3)
    result = await Agent(page, Task(goal="Anything"), config=agent_config).run()
    assert result.status == "failed"
    assert "3 failed steps in a row" in result.message
    assert result.usage.llm_calls == 6  # 3 steps x (1 try + 1 retry), each one accounted


async def test_a_click_that_opens_a_tab_moves_the_agent_there(
    serve, page: Page, model: ScriptedModel, config: AgentConfig
) -> None:
    site = serve()
    model.script(
        act("Open preferences in a new tab", "click", "Preferences (new tab)", "link"),
        lambda request: {
            "intention": "The preferences page is open",
            "action": {"kind": "complete", "summary": "settings" if "/settings" in request["messages"][1]["content"] else "wrong"},
        },
    )
    await page.goto(site.url + "/dashboard")
    agent = Agent(page, Task(goal="Open preferences"), config=config)
    result = await agent.run()
    assert result.status == "completed" and result.message == "settings"
    assert agent.page is not page and agent.page.url.endswith("/settings")


async def test_a_vision_model_is_sent_a_screenshot(serve, page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    site = serve()
    model.script(act("Nothing left to do", "complete"))
    await page.goto(site.url + "/")
    await Agent(page, Task(goal="Look"), config=config.with_overrides(model="gpt-4o", vision=True)).run()
    content = model.requests[0]["messages"][1]["content"]
    assert isinstance(content, list)
    assert content[1]["image_url"]["url"].startswith("data:image/jpeg;base64,")


async def test_steps_inside_a_frame_record_and_replay(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    model.script(
        act("Enter the newsletter address", "fill", "Newsletter e-mail", "textbox", text="nl@example.com"),
        act("Subscribe to the newsletter", "click", "Subscribe", "button"),
        act("Subscribed", "complete"),
    )
    await page.goto(site.url + "/dashboard")
    task = Task(goal="Subscribe nl@example.com to the newsletter", params={"newsletter_email": "nl@example.com"})
    result = await Agent(page, task, config=config).run()
    assert result.status == "completed"
    assert result.trace is not None
    fill = result.trace.blocks[0].steps[0]
    assert fill.action.target.frame_path  # type: ignore[union-attr]
    assert fill.action.value.kind == "param"  # type: ignore[union-attr]  # the literal was recognised as the parameter
    context = await browser.new_context()
    try:
        fresh = await context.new_page()
        await fresh.goto(site.url + "/dashboard")
        await _replay(result.trace, fresh, tmp_path, {"newsletter_email": "other@example.com"})
        frame = fresh.frame_locator('iframe[title="Newsletter"]')
        assert "other@example.com" in (await frame.locator("body").inner_text())
    finally:
        await context.close()
