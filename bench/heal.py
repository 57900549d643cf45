"""Heal bench: page mutations and adversarial pages, each flow replayed three ways in one go.

    .venv/bin/python -m bench.heal

Flows recorded once through the Recorder are replayed on every mutation as:
- first candidate only: what single-locator codegen gives (one selector, no fingerprint, no
  post-conditions beyond the flow's explicit assertion);
- XPath only: the recorded XPath candidates alone, likewise unverified;
- Encore: the full verified chain (ranked candidates, fingerprints, post-conditions).
The mutations are the example shop's (a login-and-order flow: it completed only when the shop's server
received exactly the recorded order) and the adversarial pages' (examples/adversarial: substring names,
reordered and re-sorted rows, relabels before and during the action, decoys after removal, hidden
originals, an overlay, the same words in an iframe, a button that moves, a post-redirect-get form, a
success/failure banner in one element, look-alike todo items, recording-time data; each judged by the
events its server recorded). A run that finished without the server having done exactly the flow, or
that diverged after the server did something else, is "on a wrong element". Encore's column must be 0.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

from playwright.async_api import Browser, async_playwright
from playwright.async_api import Error as PlaywrightError

from codegen import compile_trace
from examples.adversarial import AdversarialSite
from examples.adversarial.flows import SCENARIOS, Scenario, judge
from examples.flows import EMAIL, EXPECTED_ORDER, record_login_and_order
from examples.site.mutations import MUTATIONS
from examples.site.server import PASSWORD, ExampleSite
from runtime import DivergenceError, Options, launch_chromium, load_params, load_script
from tracer import Target, Trace

from ._common import markdown_table

__all__ = ["HEADER", "main", "run", "variants"]

WRONG = ("completed_wrong", "diverged_after_harm")


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


def _compile(trace: Trace, folder: Path, name: str) -> ModuleType:
    script = folder / f"{name}.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    return load_script(script)


async def _shop(browser: Browser, folder: Path, outcomes: dict[str, dict[str, str]]) -> None:
    with ExampleSite() as site:
        context = await browser.new_context()
        trace = await record_login_and_order(await context.new_page(), site.url, folder)
        await context.close()
    for way, variant in variants(trace).items():
        module = _compile(variant, folder, f"shop-{abs(hash(way))}")
        params = load_params(module, {"email": EMAIL, "password": PASSWORD, "attachment": str(folder / "note.txt")})
        for mutation in sorted(MUTATIONS):
            with ExampleSite(mutations=(mutation,)) as site:
                context = await browser.new_context()
                try:
                    await module.run(await context.new_page(), params, Options(base_url=site.url))
                except (DivergenceError, PlaywrightError):
                    # Stopping after the right order went through (a later check failed) harmed nothing.
                    outcome = "diverged" if not site.orders or _right_order(site) else "diverged_after_harm"
                else:
                    outcome = "completed" if _right_order(site) else "completed_wrong"
                finally:
                    await context.close()
            outcomes.setdefault(way, {})[f"shop: {mutation}"] = outcome


def _right_order(site: ExampleSite) -> bool:
    return len(site.orders) == 1 and EXPECTED_ORDER in next(iter(site.orders.values()))


async def _adversarial(browser: Browser, folder: Path, outcomes: dict[str, dict[str, str]]) -> None:
    options = {"postcondition_timeout": 2.0, "action_timeout": 2.0}
    async def record(name: str, scenario: Scenario) -> tuple[Trace, AdversarialSite]:
        site = AdversarialSite().start()
        context = await browser.new_context()
        trace = await scenario.trace(await context.new_page(), site.url, folder, name)
        await context.close()
        return trace, site

    for name, scenario in SCENARIOS.items():
        trace, recording_site = await record(name, scenario)
        for index, way in enumerate(variants(trace)):
            if scenario.same_server and index:
                # Each way replays on the server its own recording ran on: what an earlier way created
                # there would stand beside this way's records as look-alikes no recording ever saw.
                recording_site.stop()
                trace, recording_site = await record(name, scenario)
            variant = variants(trace)[way]
            module = _compile(variant, folder, f"{name}-{abs(hash(way))}")
            for mutation in scenario.outcomes:
                if scenario.same_server:
                    site = recording_site
                else:
                    site = AdversarialSite(variants=(mutation,) if mutation else ()).start()
                before = len(site.events)
                context = await browser.new_context()
                error: BaseException | None = None
                try:
                    await module.run(await context.new_page(), load_params(module, scenario.params), Options(base_url=site.url, **options))
                except (DivergenceError, PlaywrightError) as exc:
                    error = exc
                finally:
                    await context.close()
                    if site is not recording_site:
                        site.stop()
                outcome = judge(scenario, site, before, error)
                outcomes.setdefault(way, {})[f"{name}: {mutation or 'unchanged'}"] = (
                    outcome if outcome in WRONG or outcome == "completed" else "diverged"
                )
        recording_site.stop()


async def run() -> tuple[list[list[Any]], dict[str, dict[str, str]]]:
    outcomes: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            await _shop(browser, folder, outcomes)
            await _adversarial(browser, folder, outcomes)
            await browser.close()
    rows = []
    for name, by_mutation in outcomes.items():
        counts = Counter(by_mutation.values())
        rows.append([name, len(by_mutation), counts["completed"], counts["diverged"], sum(counts[w] for w in WRONG)])
    return rows, outcomes


HEADER = ["replayed with", "mutations", "completed correctly", "diverged (stopped, reported)", "completed on a wrong element"]


def main() -> None:
    rows, outcomes = asyncio.run(run())
    print(markdown_table(HEADER, rows))
    print()
    names = list(outcomes)
    mutations = list(outcomes[names[0]])
    print(markdown_table(["mutation", *names], [[m, *(outcomes[n][m] for n in names)] for m in mutations]))


if __name__ == "__main__":
    main()
