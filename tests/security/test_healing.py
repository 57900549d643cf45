"""Class 4, healing onto the wrong element: a repair pointing at "Delete account" where "Sign in" was recorded
is refused by the model-side check (agent.locate), by the encore healer and by the runtime itself; the run
fails instead of ending `healed`, and nothing is deleted. A reworded element that means the same is taken."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page
from pydantic import BaseModel

from agent import AgentConfig, locate
from encore import run_task
from examples.model import ScriptedModel, act, locate_answer
from runtime import DivergenceError, HealRequest, Options, Steps, contradiction
from tracer import Fingerprint, Target, record_target

from .site import Vault
from .test_secret_scan import _record_answers

SIGN_IN = Fingerprint(tag="button", role="button", name="Sign in", text="Sign in", attributes={"id": "sign-in"})


@pytest.mark.parametrize(
    ("live", "intention", "refused"),
    [
        ("Delete account", "Sign in", True),
        ("Sign out", "Sign in", True),
        ("Cancel", "Submit the login form", True),
        ("Log in", "Sign in", False),
        ("Continue", "Submit the login form", False),
        ("Delete account", "Delete the test account", False),  # meant: the intention says so
    ],
)
def test_names_that_contradict_the_step_are_refused(live: str, intention: str, refused: bool) -> None:
    assert bool(contradiction(SIGN_IN, intention, {"tag": "a", "role": "link", "name": live, "text": live})) == refused


async def test_the_model_pointing_at_delete_is_refused(page: Page, model: ScriptedModel, config: AgentConfig) -> None:
    with Vault("x", button="Delete") as site:
        await page.goto(site.url + "/login")
        model.script(locate_answer("Delete account", "button", confidence=0.95))
        found = await locate(page, "Sign in", SIGN_IN, config=config)
    assert found.element is None and "destroy" in found.reason


class _Params(BaseModel):
    pass


async def test_the_runtime_verifies_a_healed_target_against_the_recorded_element(page: Page) -> None:
    with Vault("x", button="Delete") as site:
        await page.goto(site.url + "/login")

        async def healer(request: HealRequest) -> Target | None:
            _, target = await record_target(request.page, request.page.get_by_role("button", name="Delete account"))
            return target

        recorded = {"s": {"intention": "Sign in", "fingerprint": SIGN_IN.model_dump(exclude_none=True)}}
        steps = Steps(page, _Params(), recorded, start_url=site.url, options=Options(locate_timeout=0.3, healer=healer))
        with pytest.raises(DivergenceError) as info:
            await steps.click("s", [page.get_by_role("button", name="Sign in")])
        assert info.value.divergence.reason == "element_missing" and not steps.healed
        assert await page.locator("#login").get_attribute("data-deleted") is None


async def test_a_run_whose_repair_points_at_delete_fails_instead_of_healing(
    browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path
) -> None:
    with Vault("s3cret-value") as site, Vault("s3cret-value", button="Delete") as changed:
        results, pages = [], []
        for url, answers in ((site.url, _record_answers(shown=False)),
                             (changed.url, [locate_answer("Delete account", "button", confidence=0.95),
                                            act("Only a delete button is left", "terminate", reason="no sign-in")])):
            model.script(*answers)
            context = await browser.new_context()
            page = await context.new_page()
            results.append(await run_task(
                "Sign in to the vault", site.url + "/login", {"user": "ada"}, secrets={"password": "s3cret-value"},
                task_id="vault", page=page, config=config, cache=tmp_path / "c.sqlite", runs_dir=tmp_path / "runs",
                playwright_trace=False, options=Options(base_url=url),
            ))
            pages.append(await page.locator("form").first.get_attribute("data-deleted"))
            await context.close()
    assert [r.status for r in results] == ["succeeded", "failed"]
    assert results[1].blocks[0].mode == "code" and results[1].blocks[0].new_version is None
    assert pages[1] is None  # the delete button was never clicked
