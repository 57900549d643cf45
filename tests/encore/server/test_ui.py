"""The web UI in a real browser: sign in with a key, see a run's status change live in the list and on its
page (no reload), open a run and its report, pin a cached version, read a version's diff, pause a schedule."""

from __future__ import annotations

import re

from playwright.async_api import Browser, expect

from encore import AsyncClient
from examples.site.server import ExampleSite

from .conftest import Server, pages, two_versions

LIVE_TIMEOUT_MS = 120_000  # a run on a busy machine; the page must follow it without being reloaded


async def test_sign_in_watch_runs_live_open_a_run_and_pin_a_version(
    browser: Browser, sqlite_server: Server, api_site: ExampleSite
) -> None:
    url, key = sqlite_server.url, sqlite_server.key("ui")
    first, second = two_versions(sqlite_server, "ui-cached")
    context = await browser.new_context()
    page = await context.new_page()
    problems: list[str] = []
    try:
        await page.goto(f"{url}/ui/runs")
        await expect(page).to_have_url(re.compile(r"/ui/login\?next=%2Fui%2Fruns$"))
        await page.get_by_label("API key").fill("ek_wrong")
        await page.get_by_role("button", name="Sign in").click()
        await expect(page.get_by_role("alert").filter(has_text="Unknown API key")).to_be_visible()
        await page.get_by_label("API key").fill(key)
        await page.get_by_role("button", name="Sign in").click()
        await expect(page).to_have_url(re.compile(r"/ui/runs$"))
        await expect(page.get_by_role("heading", name="Runs")).to_be_visible()
        # From here on, no script error and no request refused by the pages' content policy.
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)

        async with AsyncClient(url, key) as client:
            # The list follows a new run from queued to completed without being reloaded.
            await page.evaluate("window.stayed = true")
            run = await client.runs.create(definition=pages(api_site.url, "ui-live", pause_s=2), params={"site": api_site.url})
            row = page.locator(f'tr[data-run="{run.id}"]')
            await expect(row).to_be_visible(timeout=LIVE_TIMEOUT_MS)
            await expect(row.locator("[data-status]")).to_have_text("completed", timeout=LIVE_TIMEOUT_MS)
            assert await page.evaluate("window.stayed") is True

            # A run's page: its blocks, its artefacts, the report.
            await row.get_by_role("link", name=run.id).click()
            await expect(page.locator("#run-status")).to_have_text("completed")
            await expect(page.locator("table.blocks tbody tr")).to_have_count(3)
            await expect(page.get_by_role("link", name="trace.zip")).to_be_visible()
            report = page.frame_locator("iframe.report")
            await expect(report.get_by_role("heading", name=re.compile(f"Encore run {run.id}"))).to_be_visible()

            # A run's page follows its status live too; a running run can be canceled from it.
            slow = await client.runs.create(definition=pages(api_site.url, "ui-slow", pause_s=300),
                                            params={"site": api_site.url})
            await page.goto(f"{url}/ui/runs/{slow.id}")
            await page.evaluate("window.stayed = true")
            await expect(page.locator("#run-status")).to_have_text("running", timeout=LIVE_TIMEOUT_MS)
            page.once("dialog", lambda dialog: dialog.accept())
            await page.get_by_role("button", name="Cancel run").click()
            await expect(page.locator("#run-status")).to_have_text("canceled", timeout=LIVE_TIMEOUT_MS)
            await expect(page.locator("#run-reason")).to_have_text("canceled while running")

            # Cache versions: pin one from the list, read a version's diff.
            await page.goto(f"{url}/ui/cache?workflow=ui-cached")
            version_row = page.locator(f'tr[data-version="{first}"]')
            await version_row.get_by_role("button", name="Pin").click()
            await expect(version_row.locator(".badge.pinned")).to_be_visible()
            assert (await client.cache.version(first)).pinned
            await page.goto(f"{url}/ui/cache/{second}")
            await expect(page.locator("pre.diff .add").filter(has_text="#sign-in")).to_be_visible()
            await expect(page.locator("pre.diff .del").filter(has_text="#login-button")).to_be_visible()

            # Schedules: pause from the page.
            await client.workflows.put(pages(api_site.url, "ui-nightly"))
            schedule = await client.schedules.create("0 3 * * *", workflow="ui-nightly", params={"site": api_site.url})
            await page.goto(f"{url}/ui/schedules")
            schedule_row = page.locator(f'tr[data-schedule="{schedule.id}"]')
            await schedule_row.get_by_role("button", name="Pause").click()
            await expect(schedule_row.locator(".badge.paused")).to_be_visible()
            assert (await client.schedules.get(schedule.id)).paused
            await client.schedules.delete(schedule.id)
    finally:
        await context.close()
    assert not problems, problems
