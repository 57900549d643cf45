"""Heal bench: the page-mutation suite, replayed three ways in one go.

    .venv/bin/python -m bench.heal

A login-and-order flow is recorded once through the Recorder, then replayed on every mutation of the
example shop as:
- first candidate only: what single-locator codegen gives (one selector, no fingerprint, no
  post-conditions beyond the flow's explicit assertion);
- XPath only: the recorded XPath candidates alone, likewise unverified;
- Encore: the full verified chain (ranked candidates, fingerprints, post-conditions).
A run counts as completed only when the shop's server received exactly the recorded order; a run that
finished without that order is "completed on a wrong element". Encore's last column must be 0.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from codegen import compile_trace
from examples.flows import EMAIL, EXPECTED_ORDER, record_login_and_order
from examples.site.mutations import MUTATIONS
from examples.site.server import PASSWORD, ExampleSite
from runtime import DivergenceError, Options, launch_chromium, load_params, load_script
from tracer import Target, Trace

from ._common import markdown_table

__all__ = ["main", "run", "variants"]


def _strip(trace: Trace, keep: str) -> Trace:
    """The trace as a less careful tool would replay it: chosen candidates, no fingerprints or post-conditions."""

    def target(t: Target) -> Target:
        candidates = t.candidates[:1] if keep == "first" else tuple(c for c in t.candidates if c.strategy == "xpath")
        return t.model_copy(update={"candidates": candidates or t.candidates[:1], "fingerprint": None})

    blocks = []
    for block in trace.blocks:
        steps = []
        for step in block.steps:
            action = step.action
            if getattr(action, "target", None) is not None:
                action = action.model_copy(update={"target": target(action.target)})
            if action.kind == "assert" and getattr(action.condition, "target", None) is not None:
                condition = action.condition.model_copy(update={"target": target(action.condition.target)})
                action = action.model_copy(update={"condition": condition})
            steps.append(step.model_copy(update={"action": action, "postconditions": ()}))
        blocks.append(block.model_copy(update={"steps": tuple(steps)}))
    return trace.model_copy(update={"blocks": tuple(blocks)})


def variants(trace: Trace) -> dict[str, Trace]:
    return {"first candidate only": _strip(trace, "first"), "XPath only": _strip(trace, "xpath"), "Encore": trace}


async def run() -> tuple[list[list[Any]], dict[str, dict[str, str]]]:
    outcomes: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            with ExampleSite() as site:
                context = await browser.new_context()
                trace = await record_login_and_order(await context.new_page(), site.url, folder)
                await context.close()
            for name, variant in variants(trace).items():
                script = folder / f"{abs(hash(name))}.py"
                script.write_text(compile_trace(variant).source, encoding="utf-8")
                module = load_script(script)
                params = load_params(module, {"email": EMAIL, "password": PASSWORD, "attachment": str(folder / "note.txt")})
                outcomes[name] = {}
                for mutation in sorted(MUTATIONS):
                    with ExampleSite(mutations=(mutation,)) as site:
                        context = await browser.new_context()
                        try:
                            await module.run(await context.new_page(), params, Options(base_url=site.url))
                        except (DivergenceError, PlaywrightError):
                            outcome = "diverged"
                        else:
                            right = len(site.orders) == 1 and EXPECTED_ORDER in next(iter(site.orders.values()))
                            outcome = "completed" if right else "completed_wrong"
                        finally:
                            await context.close()
                    outcomes[name][mutation] = outcome
            await browser.close()
    rows = []
    for name, by_mutation in outcomes.items():
        counts = Counter(by_mutation.values())
        rows.append([name, counts["completed"], counts["diverged"], counts["completed_wrong"]])
    return rows, outcomes


HEADER = ["replayed with", "completed correctly", "diverged (stopped, reported)", "completed on a wrong element"]


def main() -> None:
    rows, outcomes = asyncio.run(run())
    print(markdown_table(HEADER, rows))
    print()
    names = list(outcomes)
    print(markdown_table(["mutation", *names], [[m, *(outcomes[n][m] for n in names)] for m in sorted(MUTATIONS)]))


if __name__ == "__main__":
    main()
