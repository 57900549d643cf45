"""Score calibration: how often the verdict separates the same element across releases from its look-alikes.

    .venv/bin/python -m bench.score_calibration

The pairs are in tests/runtime/calibration/pairs.py: screens of real applications (Django admin,
WordPress, MediaWiki, Wagtail, Flask-Admin, TodoMVC, Bootstrap pages, ...) rendered in two releases.
Each recorded element is fingerprinted as the recorder does, and judged in the later release as the
runtime does: the same element (it should be accepted), siblings and decoys (they must not be), and
the same element whose words or form action the release changed (by design a stop: a heal decides).
"Score only" is what the weighted score alone would do, without the mismatch rules; "old traces" is
the verdict for fingerprints recorded before forms and containers were (no `form`, no `context`).

The real-application pairs are in tests/runtime/calibration/realapps.json, made by
`python -m bench.realapps.pairs`: every element the Django admin (4.2/5.2), Roundup (2.2.0/2.6.0) and
Wagtail (5.2/6.3) flows act on or check, recorded on one release, against the same element on the other
(found by the flow's own locator; "renamed" when the release changed its name) and against up to 4
siblings and 3 decoys on each release, both ways. "Stopped elsewhere" counts look-alikes no fingerprint
can tell apart, and the check that stops them (tests/runtime/calibration/realapps.py): a twin link to
the same address (the URL post-condition holds either way), a check's container without the text the
check expects. The margin's look-alike side leaves out those and the ones a mismatch rule rules out.
"""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import async_playwright

from runtime import Options, launch_chromium
from runtime._score import verdict
from tests.runtime.calibration import realapps
from tests.runtime.calibration.measure import Measured, measure, summary

from ._common import markdown_table

__all__ = ["HEADER", "main", "run", "sweep"]

HEADER = ["set", "pairs", "count", f"verdict at min_score {Options().min_score}", "score only"]
SWEEP_HEADER = ["min_score", "same element accepted", "look-alikes rejected", "look-alikes rejected (old traces)",
                "real apps: same accepted", "real apps: look-alikes rejected or stopped elsewhere"]
_APPS = {"django": "Django admin 4.2/5.2", "roundup": "Roundup 2.2.0/2.6.0", "wagtail": "Wagtail 5.2/6.3"}


async def run() -> tuple[list[list[Any]], list[list[Any]]]:
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        page = await (await browser.new_context()).new_page()
        results = await measure(page)
        await browser.close()
    threshold = Options().min_score
    figures = summary(results, threshold)
    hand = "hand-kept screens"
    rows = [
        [hand, "same element", figures["same"], "accepted " + pct(figures["same_accepted"], figures["same"]),
         "accepted " + pct(figures["same_accepted_score_only"], figures["same"])],
        [hand, "siblings and decoys", figures["different"], "rejected " + pct(figures["different_rejected"], figures["different"]),
         "rejected " + pct(figures["different_rejected_score_only"], figures["different"])],
        [hand, "same element, words or form changed", figures["changed"], "stopped " + pct(figures["changed"] - figures["changed_accepted"], figures["changed"]), ""],
        [hand, "lowest same-element score / highest look-alike score", "", f"{figures['lowest_same_score']} / {figures['highest_different_score']}", ""],
    ]
    return rows + realapp_rows(threshold), sweep(results)


def realapp_rows(threshold: float) -> list[list[Any]]:
    """The real-application pairs, per application and in all (no browser: the fixture holds the fingerprints)."""
    figures = realapps.summary(realapps.load(), threshold)
    total = {key: sum(f[key] for f in figures.values()) for key in next(iter(figures.values())) if not key.endswith("_score")}
    for key, pick in (("lowest_same_score", min), ("highest_different_score", max), ("highest_unvetoed_score", max)):
        total[key] = pick(f[key] for f in figures.values() if f[key] is not None)
    rows = []
    for app, f in [*((_APPS[a], f) for a, f in figures.items()), ("real apps, all", total)]:
        rejected = f"rejected {pct(f['different_rejected'], f['different'])}"
        if f["stopped_elsewhere"]:
            rejected += f", {f['stopped_elsewhere']} more stopped elsewhere"
        rows += [
            [app, "same element", f["same"], "accepted " + pct(f["same_accepted"], f["same"]), ""],
            [app, f"siblings ({f['siblings']}) and decoys ({f['decoys']})", f["different"], rejected,
             "rejected " + pct(f["different_rejected_score_only"], f["different"])],
        ]
        if f["renamed"]:
            rows.append([app, "same element, renamed by the release", f["renamed"],
                         "stopped " + pct(f["renamed_stopped"], f["renamed"]), ""])
        rows.append([app, "lowest same-element score / highest look-alike score (any / no rule, no other check)", "",
                     f"{f['lowest_same_score']} / {f['highest_different_score']} / {f['highest_unvetoed_score']}", ""])
    return rows


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
        real = realapps.load()
        real_same = [p for p in real if p.kind == "same"]
        real_others = [p for p in real if p.kind in realapps.LOOK_ALIKES]
        real_rejected = sum(not p.accepted(threshold) or realapps.stopped_elsewhere(p) is not None for p in real_others)
        rows.append([threshold, f"{sum(r.accepted(threshold) for r in same)}/{len(same)}",
                     f"{sum(not r.accepted(threshold) for r in different)}/{len(different)}", f"{legacy}/{len(different)}",
                     f"{sum(p.accepted(threshold) for p in real_same)}/{len(real_same)}",
                     f"{real_rejected}/{len(real_others)}"])
    return rows


def main() -> None:
    rows, table = asyncio.run(run())
    print(markdown_table(HEADER, rows))
    print()
    print(markdown_table(SWEEP_HEADER, table))


if __name__ == "__main__":
    main()
