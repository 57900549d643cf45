"""Run the suite: install each release on demand, record, replay twice, write bench/REALAPPS.md."""

from __future__ import annotations

import argparse
import asyncio
import datetime
import shutil
import sys
import time
from pathlib import Path

from playwright.async_api import Browser, async_playwright

from runtime import launch_chromium
from tracer import write_atomic

from ._app import App
from ._django import DjangoAdmin
from ._replay import record_on, replay_on
from ._report import HEADER, Outcome, details, row
from ._roundup import Roundup
from ._venv import CACHE, Unavailable
from ._wagtail import Wagtail

__all__ = ["APPS", "main", "run_pair"]

APPS: dict[str, type[App]] = {"django": DjangoAdmin, "roundup": Roundup, "wagtail": Wagtail}
REPORT = Path(__file__).resolve().parents[1] / "REALAPPS.md"

INTRO = """\
Flows recorded through Encore's `Recorder` on real web applications this project did not write, each
installed from PyPI at run time in two releases, then compiled with `codegen.compile_trace` and replayed
with `runtime` on fresh databases that hold more records than the recording's (so every new id differs)
and with new parameter values:

- *same release, new data*: must complete with 0 model calls;
- *cross-release*: at each stop the flow's own action stands in for a heal and the replay goes on, so every
  step is measured; "steps without a model" are those that completed with no stop.

A step is *wrong-element* when its action reached (or its check verified) another element than the one
the flow means, seen through the page's input events; every replay is also checked in the application's
database: exactly one record created, with the typed values, nothing else modified or deleted. A stop is
*false* when the page still had the element the step means (the flow's own locator finds exactly one) or,
for a check after the action, when the action was right and its effect is there with this run's data.
"""


async def run_pair(app: App, browser: Browser, folder: Path, *, reverse: bool = False) -> Outcome:
    first, second = reversed(app.releases) if reverse else app.releases
    try:
        for release in (first, second):
            app.prepare(release)
    except Unavailable as exc:
        return Outcome(app.name, first.version, second.version, problem=str(exc).splitlines()[0])
    shutil.rmtree(folder, ignore_errors=True)
    recording = await record_on(app, first, browser, folder)
    same = await replay_on(app, recording, first, browser, folder / "same")
    cross = await replay_on(app, recording, second, browser, folder / "cross")
    return Outcome(app.name, first.version, second.version, recording, same, cross)


async def _run(names: list[str], reverse: bool) -> list[Outcome]:
    outcomes = []
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            for name in names:
                app = APPS[name]()
                for backwards in (False, True) if reverse else (False,):
                    print(f"{app.name} ({'newer' if backwards else 'older'} release recorded) ...", flush=True)
                    folder = CACHE / "runs" / f"{name}{'-reverse' if backwards else ''}"
                    outcomes.append(await run_pair(app, browser, folder, reverse=backwards))
        finally:
            await browser.close()
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realapps", description=__doc__)
    # An empty list among the choices: argparse checks the default of a `*` positional against them.
    parser.add_argument("apps", nargs="*", choices=[[], *APPS], default=[], help="default: all")
    parser.add_argument("--reverse", action="store_true", help="also record on the newer release, replay on the older")
    parser.add_argument("-o", "--output", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    start = time.perf_counter()
    outcomes = asyncio.run(_run(args.apps or list(APPS), args.reverse))
    minutes = (time.perf_counter() - start) / 60
    table = _table(outcomes)
    print(table)
    parts = [
        "# Real-application suite", "",
        (f"Run on {datetime.date.today().isoformat()} with `.venv/bin/python -m bench.realapps` "
         f"in {minutes:.1f} min (installs cached)."), "", INTRO, table, "", "## Every stop and wrong-element step", "",
    ]
    for outcome in outcomes:
        parts += details(outcome)
    write_atomic(args.output, "\n".join(parts))
    print(f"wrote {args.output} ({minutes:.1f} min)")
    return 0


def _table(outcomes: list[Outcome]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row(o)) + " |" for o in outcomes]
    return "\n".join(lines)
