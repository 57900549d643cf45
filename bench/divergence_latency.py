"""Divergence latency: from the moment a step starts looking for an element that has vanished to the raised error.

    .venv/bin/python -m bench.divergence_latency [--rounds 10]

The login script replays on the shop with its sign-in button removed; the time from the start of the
click step to the DivergenceError is measured, with the screenshot and DOM excerpt the error carries.
Baseline, in the same run: a hand-written Playwright click with a 1.25 s timeout (the runtime's default
`locate_timeout`) on the same page, which fails with a bare TimeoutError. Target: <= 1.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from playwright.async_api import async_playwright

from examples.site.server import PASSWORD, ExampleSite
from runtime import DivergenceError, Options, launch_chromium, load_params, load_script

from ._common import markdown_table, median

__all__ = ["main", "run"]

ROOT = Path(__file__).resolve().parent.parent


async def run(rounds: int = 10) -> list[list[Any]]:
    module = load_script(ROOT / "golden" / "login.py")
    params = load_params(module, {"email": "ada@example.com", "password": PASSWORD})
    encore: list[float] = []
    bare: list[float] = []
    reasons: set[str] = set()
    with ExampleSite(mutations=("removed_element",)) as site, tempfile.TemporaryDirectory() as tmp:
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            for _ in range(rounds):
                context = await browser.new_context()
                page = await context.new_page()
                started: dict[str, float] = {}

                def on_step(result: Any, started: dict[str, float] = started) -> None:
                    if result.step_id == "s3":  # the click step starts right after the password is typed
                        started["s4"] = time.perf_counter()

                options = Options(base_url=site.url, artifacts_dir=Path(tmp), on_step=on_step)
                try:
                    await module.run(page, params, options)
                except DivergenceError as error:
                    encore.append(time.perf_counter() - started["s4"])
                    reasons.add(error.divergence.reason)
                await page.goto(site.url + "/login")
                start = time.perf_counter()
                try:
                    await page.get_by_role("button", name="Sign in").click(timeout=1250)
                except PlaywrightTimeoutError:
                    bare.append(time.perf_counter() - start)
                await context.close()
            await browser.close()
    value = median(encore)
    return [
        ["Encore: DivergenceError (reason, candidates, excerpt, screenshot)", f"{value * 1000:.0f} ms",
         "yes" if value <= 1.5 else "no", ", ".join(sorted(reasons))],
        ["hand-written click, timeout=1250 ms: TimeoutError", f"{median(bare) * 1000:.0f} ms", "", "timeout"],
    ]


HEADER = ["what fails", "median latency", "<= 1.5 s", "reported as"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(markdown_table(HEADER, asyncio.run(run(args.rounds))))


if __name__ == "__main__":
    main()
