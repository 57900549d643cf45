"""Class 3, a secret typed on the wrong site: the cache slot follows where the run goes, and a secret is typed
only on the origins it was recorded on (or, for the agent, the workflow's own sites), in replay, in healing
and in agent runs; `--base-url` moves the allowed origin with the replay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page
from pydantic import BaseModel, SecretStr

from agent import Agent, AgentConfig, Task
from encore import parse_workflow, run_task, run_workflow
from encore._params import cache_key
from examples.model import ScriptedModel, act
from runtime import DivergenceError, Options, Steps

from .site import Vault
from .test_secret_scan import _record_answers

WORKFLOW = {
    "id": "vault",
    "parameters": [{"name": "site"}, {"name": "user"}, {"name": "password", "secret": True}],
    "blocks": [{"label": "sign_in", "kind": "task", "goal": "Sign in to the vault", "url": "{{ site }}/login"}],
}


def test_the_cache_slot_follows_the_start_urls_origin_and_the_parameters_that_choose_it() -> None:
    workflow = parse_workflow(WORKFLOW)
    a = cache_key(workflow, {"site": "http://127.0.0.1:8001", "user": "ada"})
    assert a == cache_key(workflow, {"site": "http://127.0.0.1:8001", "user": "bob"})  # the user does not route
    assert a != cache_key(workflow, {"site": "http://127.0.0.1:8002", "user": "ada"})
    assert a != cache_key(workflow, {"site": "http://127.0.0.1:8001/other", "user": "ada"})  # same origin, other path
    fixed = parse_workflow({**WORKFLOW, "blocks": [{**WORKFLOW["blocks"][0], "url": "https://bank.example/login"}]})
    other = parse_workflow({**WORKFLOW, "blocks": [{**WORKFLOW["blocks"][0], "url": "https://evil.example/login"}]})
    assert cache_key(fixed, {"site": "", "user": "ada"}) != cache_key(other, {"site": "", "user": "ada"})


async def test_code_cached_on_one_site_never_types_another_sites_password_there(
    browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    with Vault("password-of-A") as a, Vault("password-of-B") as b:
        results = []
        for site, password in ((a, "password-of-A"), (b, "password-of-B")):
            model.script(*_record_answers(shown=False))
            context = await browser.new_context()
            try:
                results.append(await run_workflow(
                    WORKFLOW, {"site": site.url, "user": "ada", "password": password}, page=await context.new_page(),
                    config=config, cache=tmp_path / "cache.sqlite", runs_dir=tmp_path / "runs", playwright_trace=False,
                ))
            finally:
                await context.close()
    assert [r.status for r in results] == ["succeeded", "succeeded"]
    assert [r.blocks[0].mode for r in results] == ["agent", "agent"]  # B got its own recording, not A's code
    assert results[0].cache_key != results[1].cache_key
    assert "password-of-B" not in a.received and "password-of-A" not in b.received


async def _run(browser: Browser, config: AgentConfig, tmp_path: Path, url: str, password: str, **options: Any) -> Any:
    context = await browser.new_context()
    try:
        return await run_task(
            "Sign in to the vault", url, {"user": "ada"}, secrets={"password": password}, task_id="vault",
            page=await context.new_page(), config=config, cache=tmp_path / "cache.sqlite",
            runs_dir=tmp_path / "runs", playwright_trace=False, **options,
        )
    finally:
        await context.close()


async def test_replay_healing_and_agent_refuse_to_type_a_secret_on_another_origin(
    browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    secret = "s3cret-for-the-vault"
    with Vault(secret) as home, Vault(secret) as evil, Vault(secret) as staging:
        model.script(*_record_answers(shown=False))
        recorded = await _run(browser, config, tmp_path, home.url + "/login", secret)
        assert recorded.status == "succeeded"
        home.received.clear()

        # The same site served elsewhere: --base-url moves the allowed origin with the replay.
        moved = await _run(browser, config, tmp_path, home.url + "/login", secret, options=Options(base_url=staging.url))
        assert (moved.status, moved.blocks[0].mode) == ("succeeded", "code") and secret in staging.received

        # Now the site's login page sends the browser to another origin, with the same form.
        home.login_redirect = evil.url + "/login"
        model.script(act("Type the password", "fill", "Password", "input", parameter="password"),
                     act("The password is not wanted here", "terminate", reason="wrong site"))
        result = await _run(browser, config, tmp_path, home.url + "/login", secret)
    block = result.blocks[0]
    assert result.status == "failed" and block.divergence is not None
    assert block.divergence.reason == "secret_origin" and evil.url.split("//")[1] in block.divergence.message
    refused = [s for s in block.steps if s.mode == "agent" and not s.ok]
    assert refused and "refused" in (refused[0].error or "")  # the agent healing the block was refused too
    assert secret not in evil.received and evil.received == []


class _Params(BaseModel):
    password: SecretStr


async def test_the_runtime_checks_the_fields_origin_not_the_pages_claims(page: Page) -> None:
    with Vault("x") as site:
        await page.goto(site.url + "/login")
        await page.evaluate("() => { history.replaceState(null, '', '/login#https://bank.example'); }")
        recorded = {"f": {"intention": "type it", "secret_origins": ["https://bank.example"]}}
        steps = Steps(page, _Params(password=SecretStr("s3cret-value")), recorded, start_url="https://bank.example/",
                      options=Options(locate_timeout=0.5))
        with pytest.raises(DivergenceError) as info:
            await steps.fill("f", [page.locator("#password")], steps.params.password)  # type: ignore[attr-defined]
        assert info.value.divergence.reason == "secret_origin"
        assert await page.locator("#password").input_value() == ""  # nothing was typed
        rebased = Steps(page, _Params(password=SecretStr("s3cret-value")), recorded, start_url="https://bank.example/",
                        options=Options(locate_timeout=0.5, base_url=site.url))
        await rebased.fill("f", [page.locator("#password")], rebased.params.password)  # type: ignore[attr-defined]
        assert await page.locator("#password").input_value() == "s3cret-value"


async def test_the_agent_refuses_a_secret_outside_its_origins(page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    with Vault("x") as site:
        await page.goto(site.url + "/login")
        model.script(act("Type the password", "fill", "Password", "input", parameter="password"),
                     act("Not here", "terminate", reason="wrong site"))
        task = Task(goal="Sign in", secrets={"password": "s3cret-value"},
                    secret_origins={"password": ("https://bank.example",)})
        outcome = await Agent(page, task, config=config).run(5)
        assert outcome.status == "terminated" and "refused" in (outcome.steps[0].error or "")
        assert await page.locator("#password").input_value() == ""
