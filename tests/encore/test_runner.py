"""run_task / run_workflow: record once, replay from code, heal what changed, keep what still works."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from agent import AgentConfig
from encore import Cache, RunRefused, Slot, run_task, run_workflow
from examples.model import ScriptedModel, find
from examples.site.server import PASSWORD
from runtime import Options

from ..agent.scripted import act, login_script
from ..runtime.helpers import EMAIL

GOAL = "Sign in to the shop"


async def _login(page: Page, site, tmp_path: Path, config: AgentConfig, **options):
    return await run_task(
        GOAL,
        site.url + "/login",
        {"email": EMAIL},
        secrets={"password": PASSWORD},
        task_id="login",
        page=page,
        config=config,
        cache=tmp_path / "cache.sqlite",
        runs_dir=tmp_path / "runs",
        **options,
    )


async def test_first_run_records_and_the_second_replays_with_no_model(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    model.script(*login_script())

    first = await _login(page, site, tmp_path, config)

    assert first.status == "succeeded" and first.exit_code == 0, first.message
    block = first.block("task")
    assert (block.mode, block.new_version, block.llm_calls) == ("agent", 1, 4)
    assert first.llm_calls == 4 and first.cost_usd is not None and first.cost_usd > 0
    assert first.prompt_tokens == sum(u["prompt_tokens"] for u in model.usage)
    assert first.completion_tokens == sum(u["completion_tokens"] for u in model.usage)
    assert [bool(s.selector) for s in block.steps] == [True, True, True, False]  # the complete step has no element
    assert "What ran: 1 block by the agent" in Path(first.report or "").read_text(encoding="utf-8")

    context = await browser.new_context()
    try:
        second = await _login(await context.new_page(), site, tmp_path, config)
    finally:
        await context.close()
    assert second.status == "succeeded", second.message
    block = second.block("task")
    assert (block.mode, block.version, block.new_version, block.llm_calls) == ("code", 1, None, 0)
    assert second.llm_calls == 0 and len(model.requests) == 4
    assert [s.mode for s in block.steps] == ["code"] * len(block.steps)
    report = Path(second.report or "").read_text(encoding="utf-8")
    assert "code" in report and PASSWORD not in report
    assert Path(second.playwright_trace or "").stat().st_size > 0


async def test_a_changed_element_heals_with_one_call_and_the_next_run_needs_none(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    original, changed = serve(), serve("redesigned_login")
    model.script(*login_script())
    await _login(page, original, tmp_path, config)
    # The recorded start URL is the original site's; the mutated one serves the same paths elsewhere.
    model.script(lambda request: {"element": find(request, "Continue", "button"), "confidence": 0.9, "reason": "the submit"})

    healed, _ = await _login_on(browser, original, changed, tmp_path, config)

    assert healed.status == "healed" and healed.exit_code == 3, healed.model_dump_json(indent=1)
    block = healed.block("task")
    assert (block.mode, block.version, block.new_version, block.llm_calls) == ("healed_element", 1, 2, 1)
    assert "healed" in [s.mode for s in block.steps]
    # What a person needs to accept the repair: why, what the model answered, before and after, evidence, the diff.
    (repair,) = block.repairs
    assert repair.accepted and repair.reason in ("element_missing", "fingerprint_mismatch", "ambiguous")
    assert repair.confidence == 0.9 and repair.element is not None and repair.score is not None
    assert repair.candidates and all(c.outcome != "ok" for c in repair.candidates)
    assert 'name="Sign in"' in repair.before[0] and repair.after and repair.after != repair.before
    assert Path(repair.screenshot_before or "").is_file() and Path(repair.screenshot_after or "").is_file()
    assert block.script_diff and any(line.startswith("+") and "Continue" in line for line in block.script_diff.splitlines())
    healed_step = next(s for s in block.steps if s.mode == "healed")
    assert healed_step.fallback and healed_step.selector in repair.after
    report = Path(healed.report or "").read_text(encoding="utf-8")
    for evidence in (f"Repair of step {repair.step_id}", "confidence 0.90", "encore cache diff v1 v2 --workflow login",
                     "data:image/png;base64,", "What ran: 1 block healed (element)"):
        assert evidence in report, evidence
    again, _ = await _login_on(browser, original, changed, tmp_path, config)
    assert again.status == "succeeded", again.message
    assert (again.block("task").mode, again.block("task").version, again.llm_calls) == ("code", 2, 0)
    versions = Cache(tmp_path / "cache.sqlite").versions("login")
    assert [(v.version, v.origin) for v in versions] == [(1, "agent"), (2, "healed_element")]


async def test_a_changed_flow_is_re_recorded_from_the_divergence_keeping_what_worked(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    original, with_terms = serve(), serve("terms_interstitial")
    model.script(*login_script())
    await _login(page, original, tmp_path, config)
    model.script(
        act("Accept the new terms to reach the dashboard", "click", "Accept and continue", "link"),
        act("Logged in", "complete"),
    )
    healed, final_url = await _login_on(browser, original, with_terms, tmp_path, config)
    assert final_url.endswith("/dashboard")

    assert healed.status == "healed", healed.message
    block = healed.block("task")
    assert (block.mode, block.new_version, block.llm_calls) == ("healed_block", 2, 2)  # no element-level call
    assert block.divergence is not None and block.divergence.reason == "unexpected_url"
    version = Cache(tmp_path / "cache.sqlite").latest(Slot("login", healed.cache_key, "task"))
    assert version is not None and version.origin == "healed_block"
    steps = version.trace().blocks[0].steps
    assert [s.action.kind for s in steps] == ["goto", "fill", "fill", "click", "click", "complete"]
    assert steps[3].postconditions == ()  # the sign-in click is kept, without the URL it no longer reaches
    assert PASSWORD not in version.trace_json and PASSWORD not in version.script

    model.script()  # nothing: the healed version replays on the changed site without the model
    again, final_url = await _login_on(browser, original, with_terms, tmp_path, config)
    assert (again.status, again.llm_calls, again.block("task").version) == ("succeeded", 0, 2)


async def test_a_block_nothing_can_fix_fails_and_keeps_the_last_good_version(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    original, without_button = serve(), serve("removed_element")
    model.script(*login_script())
    await _login(page, original, tmp_path, config)
    model.script(
        lambda request: {"element": None, "confidence": 0.0},
        act("There is no way to sign in", "terminate", reason="no sign-in button"),
    )
    failed, _final_url = await _login_on(browser, original, without_button, tmp_path, config)
    assert failed.status == "failed" and failed.exit_code == 1
    assert "version 1 stays cached" in failed.block("task").message
    assert [v.version for v in Cache(tmp_path / "cache.sqlite").versions("login")] == [1]
    result = json.loads((Path(failed.report or "").parent / "result.json").read_text())
    assert result["blocks"][0]["divergence"]["reason"] == "element_missing"
    assert "divergence-" in (result["blocks"][0]["divergence"]["screenshot"] or "")


async def test_failed_model_calls_are_counted_as_the_endpoint_received_them(
    serve, page: Page, browser: Browser, config: AgentConfig, tmp_path: Path
) -> None:
    original, without_button = serve(), serve("removed_element")
    with ScriptedModel() as model:
        model.script(*login_script())
        await _login(page, original, tmp_path, config.with_overrides(base_url=model.url))
        before = len(model.requests)
        # Nothing scripted: the heal's locate call and the agent's one attempt are both answered HTTP 500.
        failed, _ = await _login_on(
            browser, original, without_button, tmp_path, config.with_overrides(base_url=model.url, max_failures=1)
        )
    sent = len(model.requests) - before
    assert failed.status == "failed" and sent == 6  # each ask: one request and the openai client's two retries
    assert (failed.llm_calls, failed.failed_llm_calls, failed.prompt_tokens) == (sent, sent, 0)
    assert failed.block("task").failed_llm_calls == sent


async def _login_on(browser: Browser, original, serving, tmp_path: Path, config: AgentConfig, **options):
    """The login task recorded on `original`, run in a fresh context on `serving` (same paths, other port)."""
    context = await browser.new_context()
    try:
        result = await run_task(
            GOAL, original.url + "/login", {"email": EMAIL}, secrets={"password": PASSWORD}, task_id="login",
            page=await context.new_page(), config=config, cache=tmp_path / "cache.sqlite",
            runs_dir=tmp_path / "runs", options=Options(base_url=serving.url), **options,
        )
        return result, context.pages[0].url
    finally:
        await context.close()


BRANCHES = {
    "id": "order-options",
    "parameters": [{"name": "gift", "type": "boolean"}],
    "blocks": [
        {"label": "open", "kind": "goto", "url": "{{ site }}/order"},
        {
            "label": "choose",
            "kind": "conditional",
            "if": "params.gift",
            "then": [{"label": "wrap", "kind": "action", "goal": "Ask for gift wrap"}],
            "else": [{"label": "note", "kind": "action", "goal": "Write 'no gift' in the notes"}],
        },
    ],
}


async def test_progressive_branch_caching_keeps_every_branch(
    serve, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    definition = json.loads(json.dumps(BRANCHES).replace("{{ site }}", site.url))

    async def run(gift: bool):
        context = await browser.new_context()
        try:
            page = await context.new_page()
            result = await run_workflow(
                definition, {"gift": gift}, page=page, config=config, cache=tmp_path / "c.sqlite",
                runs_dir=tmp_path / "runs", playwright_trace=False,
            )
            state = await page.evaluate("[document.querySelector('#gift').checked, document.querySelector('#notes').value]")
            return result, state
        finally:
            await context.close()

    model.script(act("Tick gift wrap", "set_checked", "Gift wrap", "checkbox", checked=True), act("Done", "complete"))
    a1, state = await run(True)
    assert (a1.block("wrap").mode, a1.llm_calls, state) == ("agent", 2, [True, ""])
    model.script(act("Explain there is no gift", "fill", "Notes", "textbox", text="no gift"), act("Done", "complete"))
    b1, state = await run(False)
    assert (b1.block("note").mode, b1.llm_calls, state) == ("agent", 2, [False, "no gift"])
    a2, state = await run(True)
    assert (a2.block("wrap").mode, a2.llm_calls, state) == ("code", 0, [True, ""])
    b2, state = await run(False)
    assert (b2.block("note").mode, b2.llm_calls, state) == ("code", 0, [False, "no gift"])
    assert a2.block("choose").message.endswith(": then") and b2.block("choose").message.endswith(": else")
    slots = {(v.slot.block, v.slot.branch) for v in Cache(tmp_path / "c.sqlite").versions("order-options")}
    assert slots == {("wrap", "/choose:then"), ("note", "/choose:else")}


async def test_outputs_flow_into_a_loop_whose_body_is_cached_after_the_first_item(
    serve, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    definition = {
        "id": "products",
        "parameters": [{"name": "products", "type": "string"}],
        "blocks": [
            {"label": "split", "kind": "code", "code": "outputs['wanted'] = params['products'].split(',')"},
            {
                "label": "each",
                "kind": "for_loop",
                "over": "outputs.wanted",
                "item": "product",
                "blocks": [
                    {"label": "type", "kind": "action", "url": site.url + "/order", "goal": "Type {{ product }} as the product"},
                    {"label": "remember", "kind": "code",
                     "code": "outputs.setdefault('typed', []).append(await page.input_value('#product'))"},
                ],
            },
        ],
    }
    model.script(act("Type the product", "fill", "Product", "textbox", text="Blue mug"), act("Typed", "complete"))
    context = await browser.new_context()
    try:
        result = await run_workflow(
            definition, {"products": "Blue mug,Teapot,Tea towel"}, page=await context.new_page(), config=config,
            cache=tmp_path / "c.sqlite", runs_dir=tmp_path / "runs", playwright_trace=False,
        )
    finally:
        await context.close()
    assert result.status == "succeeded", result.message
    assert result.outputs["typed"] == ["Blue mug", "Teapot", "Tea towel"]
    assert [b.mode for b in result.blocks if b.label == "type"] == ["agent", "code", "code"]
    assert result.llm_calls == 2


async def test_concurrent_cached_runs_share_one_cache_file(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    model.script(*login_script())
    await _login(page, site, tmp_path, config)
    contexts = [await browser.new_context() for _ in range(3)]
    try:
        pages = [await c.new_page() for c in contexts]
        results = await asyncio.gather(*(_login(p, site, tmp_path, config, playwright_trace=False) for p in pages))
    finally:
        for c in contexts:
            await c.close()
    assert [r.status for r in results] == ["succeeded"] * 3
    assert all(r.block("task").mode == "code" for r in results) and len(model.requests) == 4


async def test_run_with_agent_ignores_the_cache_and_engine_off_writes_nothing(
    serve, page: Page, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    site = serve()
    model.script(*login_script())
    result = await _login(page, site, tmp_path, config, run_with="agent", engine="off")
    assert result.status == "succeeded" and result.block("task").mode == "agent"
    assert Cache(tmp_path / "cache.sqlite").versions() == []


async def test_a_pinned_version_that_diverges_is_reported_and_never_asks_the_model(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    original, changed = serve(), serve("redesigned_login")
    model.script(*login_script())
    first = await _login(page, original, tmp_path, config)
    cache = Cache(tmp_path / "cache.sqlite")
    cache.pin(cache.versions("login")[0].id)
    asked = len(model.requests)

    diverged, _ = await _login_on(browser, original, changed, tmp_path, config)

    assert len(model.requests) == asked and diverged.llm_calls == 0  # no locate, no agent: the pin is the contract
    block = diverged.block("task")
    assert diverged.status == "failed" and (block.mode, block.pinned, block.new_version) == ("code", True, None)
    assert block.divergence is not None and block.divergence.step_id == "s4"
    assert "not healed: version 1 is pinned" in block.message
    assert len(cache.versions("login")) == 1 and first.block("task").new_version == 1


async def test_code_only_replays_what_is_cached_and_never_asks_the_model(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    original, changed = serve(), serve("redesigned_login")
    with pytest.raises(RunRefused, match="nothing cached for login"):
        await _login(page, original, tmp_path, config, run_with="code_only")
    model.script(*login_script())
    await _login(page, original, tmp_path, config)
    asked = len(model.requests)

    diverged, _ = await _login_on(browser, original, changed, tmp_path, config, run_with="code_only")

    assert len(model.requests) == asked and diverged.llm_calls == 0
    assert diverged.status == "failed" and diverged.run_with == "code_only"
    assert "not healed: run_with='code_only' never asks the model" in diverged.block("task").message


async def test_heal_loops_are_reported_not_regenerated(
    serve, page: Page, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    original, changed = serve(), serve("redesigned_login")
    model.script(*login_script())
    await _login(page, original, tmp_path, config)
    outcomes = []
    for site in (changed, original):  # the page flips back and forth: each run needs a heal
        name = "Continue" if site is changed else "Sign in"
        model.script(lambda request, name=name: {"element": find(request, name, "button"), "confidence": 0.9})
        result, _ = await _login_on(browser, original, site, tmp_path, config, max_heal_streak=2)
        outcomes.append((result.block("task").mode, result.block("task").new_version, result.block("task").heal_loop))
    assert outcomes == [("healed_element", 2, False), ("healed_element", None, True)]


async def test_a_live_block_that_fails_ends_the_run_with_a_report(
    page: Page, config: AgentConfig, tmp_path: Path
) -> None:
    definition = {
        "id": "broken",
        "blocks": [
            {"label": "nowhere", "kind": "goto", "url": "http://127.0.0.1:9/unreachable"},
            {"label": "never", "kind": "wait", "seconds": 0},
        ],
    }
    result = await run_workflow(definition, page=page, config=config, cache=tmp_path / "c.sqlite",
                                runs_dir=tmp_path / "runs", playwright_trace=False)
    assert result.status == "failed" and [b.label for b in result.blocks] == ["nowhere"]
    assert result.blocks[0].message.startswith("Page.goto: net::ERR_")
    assert Path(result.report or "").is_file()



def test_settle_timeout_comes_from_the_caller_then_the_workflow() -> None:
    from encore._runner import _with_settle
    from encore._workflow import WorkflowError, parse_workflow

    workflow = parse_workflow({"id": "w", "settle_timeout": 4, "blocks": [{"label": "a", "kind": "goto", "url": "x"}]})
    assert workflow.settle_timeout == 4
    assert _with_settle(Options(), None, workflow.settle_timeout).settle_timeout == 4
    assert _with_settle(Options(), 2.5, workflow.settle_timeout).settle_timeout == 2.5
    assert _with_settle(Options(settle_timeout=6), None, None).settle_timeout == 6
    try:
        parse_workflow({"id": "w", "settle_timeout": -1, "blocks": [{"label": "a", "kind": "goto", "url": "x"}]})
    except WorkflowError as error:
        assert "settle_timeout" in str(error)
    else:
        raise AssertionError("a negative settle_timeout was accepted")
