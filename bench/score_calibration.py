"""Score calibration: how often the verdict separates the same element across releases from its look-alikes.

    .venv/bin/python -m bench.score_calibration

The pairs are in tests/runtime/calibration/pairs.py: screens of real applications (Django admin,
WordPress, MediaWiki, Wagtail, Flask-Admin, TodoMVC, Bootstrap pages, ...) rendered in two releases.
Each recorded element is fingerprinted as the recorder does, and judged in the later release as the
runtime does: the same element (it should be accepted), siblings and decoys (they must not be), and
the same element whose words or form action the release changed (by design a stop: a heal decides).
"Score only" is what the weighted score alone would do, without the mismatch rules; "old traces" is
the verdict for fingerprints recorded before forms and containers were (no `form`, no `context`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import async_playwright

from runtime import Options, launch_chromium
from runtime._score import verdict
from tests.runtime.calibration.measure import Measured, measure, summary

from ._common import markdown_table

__all__ = ["HEADER", "main", "run", "sweep"]

HEADER = ["pairs", "count", f"verdict at min_score {Options().min_score}", "score only"]
SWEEP_HEADER = ["min_score", "same element accepted", "look-alikes rejected", "look-alikes rejected (old traces)"]


async def run() -> tuple[list[list[Any]], list[list[Any]]]:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        page = await (await browser.new_context()).new_page()
        results = await measure(page)
        await browser.close()
    threshold = Options().min_score
    figures = summary(results, threshold)
    rows = [
        ["same element", figures["same"], "accepted " + pct(figures["same_accepted"], figures["same"]),
         "accepted " + pct(figures["same_accepted_score_only"], figures["same"])],
        ["siblings and decoys", figures["different"], "rejected " + pct(figures["different_rejected"], figures["different"]),
         "rejected " + pct(figures["different_rejected_score_only"], figures["different"])],
        ["same element, words or form changed", figures["changed"], "stopped " + pct(figures["changed"] - figures["changed_accepted"], figures["changed"]), ""],
        ["lowest same-element score / highest look-alike score", "", f"{figures['lowest_same_score']} / {figures['highest_different_score']}", ""],
    ]
    return rows, sweep(results)


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)"


def sweep(results: list[Measured]) -> list[list[Any]]:
    same = [r for r in results if r.pair.same and not r.pair.changed]
    different = [r for r in results if not r.pair.same]
    rows = []
    for threshold in (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85):
        legacy = sum(
            not verdict(r.recorded.model_copy(update={"form": None, "context": None}), r.live).accepted(threshold)
            for r in different
        )
        rows.append([threshold, f"{sum(r.accepted(threshold) for r in same)}/{len(same)}",
                     f"{sum(not r.accepted(threshold) for r in different)}/{len(different)}", f"{legacy}/{len(different)}"])
    return rows


def main() -> None:
    rows, table = asyncio.run(run())
    print(markdown_table(HEADER, rows))
    print()
    print(markdown_table(SWEEP_HEADER, table))


if __name__ == "__main__":
    main()
