"""Replays on pages built to trip them: each ends in the right divergence or a completion the server confirms."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import pytest
import pytest_asyncio
from playwright.async_api import Browser

from codegen import compile_trace
from examples.adversarial import AdversarialSite
from examples.adversarial.flows import SCENARIOS, judge
from runtime import DivergenceError, Options, load_params, load_script

CASES = [(name, variant) for name, scenario in SCENARIOS.items() for variant in scenario.outcomes]


@pytest_asyncio.fixture(scope="module")
async def recorded(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[dict[str, tuple[ModuleType, AdversarialSite]]]:
    """Each scenario recorded once on the unchanged pages, compiled, with the site it was recorded on."""
    folder = tmp_path_factory.mktemp("adversarial")
    scripts: dict[str, tuple[ModuleType, AdversarialSite]] = {}
    for name, scenario in SCENARIOS.items():
        site = AdversarialSite().start()
        context = await browser.new_context()
        try:
            trace = await scenario.trace(await context.new_page(), site.url, folder, name)
        finally:
            await context.close()
        script = folder / f"{name}.py"
        script.write_text(compile_trace(trace).source, encoding="utf-8")
        scripts[name] = (load_script(script), site)
    yield scripts
    for _, site in scripts.values():
        site.stop()


@pytest.mark.parametrize(("name", "variant"), CASES, ids=[f"{n}-{v or 'unchanged'}" for n, v in CASES])
async def test_replay_diverges_for_the_right_reason_or_completes_as_the_server_confirms(
    browser: Browser, recorded: dict[str, tuple[ModuleType, AdversarialSite]], name: str, variant: str, tmp_path: Path
) -> None:
    scenario = SCENARIOS[name]
    module, recording_site = recorded[name]
    site = recording_site if scenario.same_server else AdversarialSite(variants=(variant,) if variant else ()).start()
    before = len(site.events)
    context = await browser.new_context()
    error: DivergenceError | None = None
    try:
        options = Options(base_url=site.url, postcondition_timeout=2, action_timeout=2, artifacts_dir=tmp_path)
        await module.run(await context.new_page(), load_params(module, scenario.params), options)
    except DivergenceError as exc:
        error = exc
    finally:
        await context.close()
        if site is not recording_site:
            site.stop()
    outcome = judge(scenario, site, before, error)
    detail = error.to_json() if error else f"server events: {site.events[before:]}"
    assert outcome == scenario.outcomes[variant], detail
