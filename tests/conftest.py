"""Shared fixtures: one Chromium per session, a fresh context per test, example sites on demand."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the examples package lives beside the installed ones

from agent import AgentConfig
from examples.model import ScriptedModel
from examples.site.server import ExampleSite
from runtime import launch_chromium

TRACES = ROOT / "tests" / "traces"
GOLDEN = ROOT / "golden"

# A test that uses any of these (directly or through another fixture) drives a browser, serves a site for
# one, or starts an `encore serve` whose worker runs Chromium: it is marked `browser`, so
# `pytest -m "not browser"` is the quick unit subset.
BROWSER_FIXTURES = frozenset({"browser", "page", "serve", "api_site", "sqlite_server", "postgres_api_server", "api"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest_asyncio.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await launch_chromium(playwright)
        yield instance
        await instance.close()


@pytest_asyncio.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(accept_downloads=True)
    yield await context.new_page()
    await context.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., ExampleSite]]:
    """`serve("renamed_ids", ...)` starts the example site with those mutations."""
    sites: list[ExampleSite] = []

    def start(*mutations: str) -> ExampleSite:
        site = ExampleSite(mutations=mutations).start()
        sites.append(site)
        return site

    yield start
    for site in sites:
        site.stop()


@pytest.fixture
def model() -> Iterator[ScriptedModel]:
    """A scripted OpenAI-compatible server on 127.0.0.1; a test fails if its script broke."""
    with ScriptedModel() as server:
        yield server
    assert not server.errors, f"the scripted model reported: {server.errors}"


@pytest.fixture
def config(model: ScriptedModel) -> AgentConfig:
    return AgentConfig(model="gpt-4o-mini", api_key="test-key", base_url=model.url, vision=False, max_retries=2)
