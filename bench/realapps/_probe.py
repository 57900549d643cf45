"""Watching a generated script replay: which element each step acted on, and going on past every stop.

The script runs unchanged; only its `Steps` is a subclass that, around each step, notes the element
the flow means (the oracle) and sees, through page events, which element the action really reached.
At a stop the divergence is judged (see `_judge`) and the flow's own action stands in for a heal, so
the steps after it are measured too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from runtime import DivergenceError, Steps

from ._flow import FlowStep, perform
from ._judge import LOCATE_REASONS, Stop, frozen_in, judge, oracle_handle

__all__ = ["Probe", "Watch", "instrument"]

# Which element each input event reached, and whether it is (inside) the armed oracle. A trusted `change`
# is the previous field losing focus, so it is skipped; Playwright's select_option dispatches untrusted
# input/change events, so those count.
_LISTENER = """(() => {
  if (window.__realappsListening) return;
  window.__realappsListening = true;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "")
    + ` "${(el.innerText || el.value || "").trim().slice(0, 40)}"`;
  const report = (e) => {
    if (e.isTrusted ? e.type === "change" : e.type !== "input" && e.type !== "change") return;
    const t = e.target;
    if (!(t instanceof Element)) return;
    (window.__realappsTargets = window.__realappsTargets || []).push(t);
    const o = window.__realappsOracle;
    const ok = o ? (o === t || o.contains(t) || t.control === o) : null;
    const step = window.__realappsStep || null;
    if (window.__realappsHit) window.__realappsHit({ step, type: e.type, ok, element: describe(t) });
  };
  for (const type of ["click", "input", "change", "keydown"]) document.addEventListener(type, report, true);
})()"""

_ACTIONS = ("click", "fill", "select_option", "set_checked", "press", "hover", "upload_file", "download")
_CHECKS = ("expect_text", "expect_value", "expect_state", "wait_for", "extract")
_OTHER = ("goto", "expect_url", "scroll")


@dataclass
class Watch:
    """What one replay did, step by step."""

    done: list[str] = field(default_factory=list)
    """Steps that completed without a stop (no model would have been asked)."""
    stops: list[Stop] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    """Steps that acted on (or verified) another element than the flow's: `step: what`."""
    unchecked: list[str] = field(default_factory=list)
    """Steps whose element could not be compared with the flow's."""


class Probe:
    """The harness side of one replay: the flow, its data, and what was seen."""

    def __init__(
        self,
        by_id: Mapping[str, FlowStep],
        *,
        base_url: str,
        recorded: Mapping[str, Any],
        params: Mapping[str, Any],
        secrets: Mapping[str, str],
        ids: Sequence[str] = (),
    ) -> None:
        self.by_id = dict(by_id)
        self.ids = tuple(ids)
        """Ids of the record the recording created: recording-time data to look for in what fails."""
        self.base_url = base_url
        self.recorded = recorded
        self.params = params
        self.secrets = secrets
        self.watch = Watch()
        self.hits: list[dict[str, Any]] = []
        self.step_id = ""

    async def attach(self, context: BrowserContext) -> None:
        await context.expose_binding("__realappsHit", lambda _source, hit: self._hit(hit))
        await context.add_init_script(_LISTENER)

    async def arm(self, page: Page, step_id: str) -> None:
        """Point the listener at the step's element as it is now, without waiting for it."""
        self.hits.clear()
        self.step_id = step_id
        step = self.by_id.get(step_id)
        oracle = None
        try:
            # The runtime's own locate waits for this too, so the replay's timing is left as it is.
            await page.wait_for_load_state("domcontentloaded")
            if step is not None and step.target is not None:
                oracle, _ = await oracle_handle(page, step, self.params, wait=0)
            await page.evaluate(
                "([o, s]) => { window.__realappsOracle = o; window.__realappsStep = s; window.__realappsTargets = []; }",
                [oracle, step_id],
            )
        except PlaywrightError:
            pass  # mid-navigation: the step's events are then compared afterwards, if its page stays

    def _hit(self, hit: dict[str, Any]) -> None:
        # Bindings arrive a little late: a hit tagged with an earlier step is that step's, and dropped.
        if hit.get("step") in (None, self.step_id):
            self.hits.append(hit)

    def first_hit(self) -> dict[str, Any] | None:
        return self.hits[0] if self.hits else None

    async def flush(self, page: Page) -> None:
        """Let the page's pending binding calls reach us before the step's hits are read."""
        try:
            await page.evaluate("0")
        except PlaywrightError:
            pass
        await asyncio.sleep(0.02)

    async def after_action(self, page: Page, step_id: str) -> bool | None:
        """Did the action reach the flow's element? None when that cannot be told."""
        await self.flush(page)
        hit = self.first_hit()
        if hit is None:
            return None
        if hit["ok"] is not None:
            return bool(hit["ok"])
        step = self.by_id.get(step_id)
        if step is None:
            return None
        oracle, _ = await oracle_handle(page, step, self.params, wait=0)
        if oracle is None:
            return None
        try:
            script = "o => { const t = (window.__realappsTargets || [])[0]; return t ? (o === t || o.contains(t) || t.control === o) : null; }"
            return await page.evaluate(script, oracle)
        except PlaywrightError:
            return None

    async def after_check(self, page: Page, step_id: str, candidates: Any, index: int | None) -> bool | None:
        """Did a check verify the flow's element? Compares the candidate the runtime took with the oracle."""
        step = self.by_id.get(step_id)
        if step is None or step.target is None or index is None or not isinstance(candidates, list):
            return None
        # The flow's element and the candidate's are compared in one round, and only while the flow's element is
        # still in the page: a listing that swaps its rows in place (Wagtail's search) can replace it between
        # the two reads, and a replaced element is no verdict. Read again, then leave it unchecked.
        for _ in range(3):
            oracle, _ = await oracle_handle(page, step, self.params, wait=0)
            if oracle is None:
                return None
            try:
                same = await candidates[index].evaluate_all(
                    "(els, o) => o.isConnected ? els.some((e) => e === o) : null", oracle)
            except PlaywrightError:
                return None
            if same is not None:
                return bool(same)
        return None

    def note(self, step_id: str, right: bool | None, what: str) -> None:
        if right is False:
            frozen = frozen_in(what, self.recorded, self.params, self.ids)
            self.watch.wrong.append(f"{step_id}: {what}" + (f" ({'; '.join(frozen)} is in that selector)" if frozen else ""))
        elif right is None and self.by_id.get(step_id) is not None and self.by_id[step_id].target is not None:
            self.watch.unchecked.append(step_id)

    async def stopped(self, steps: Steps, step_id: str, exc: DivergenceError, candidates: Any) -> None:
        """Judge the stop, and when the step had not acted, act the way the flow does (the stand-in heal)."""
        divergence = exc.divergence
        step = self.by_id.get(divergence.step_id)
        if divergence.step_id in self.watch.done:
            self.watch.done.remove(divergence.step_id)
        await self.flush(steps.page)
        acted = divergence.reason not in LOCATE_REASONS and (
            divergence.reason in ("postcondition_failed", "unexpected_url") or bool(self.hits)
        )
        if divergence.step_id != step_id:
            acted = True  # an earlier step's deferred check: that step acted long ago
        right = await self.after_action(steps.page, divergence.step_id) if acted and divergence.step_id == step_id else None
        if step is None:
            self.watch.stops.append(Stop(divergence.step_id, divergence.intention, divergence.reason, None,
                                         "not a flow step", divergence.message))
            return
        own = candidates if divergence.step_id == step_id and isinstance(candidates, list) else None
        stop = await judge(
            steps.page, step, divergence, own, acted=acted, acted_right=right,
            recorded=self.recorded, params=self.params, secrets=self.secrets, ids=self.ids,
        )
        self.watch.stops.append(stop)
        if right is False:
            self.watch.wrong.append(f"{divergence.step_id}: acted on {self.first_hit()}, then stopped ({divergence.reason})")
        if not acted:
            await perform(step, steps.page, self.base_url, self.params, self.secrets)


def instrument(module: ModuleType, probe: Probe) -> None:
    """Give the loaded script a `Steps` that reports every step to `probe` and goes on past stops."""
    module.Steps = _watched_steps(probe)


def _watched_steps(probe: Probe) -> type[Steps]:
    class Watched(Steps):
        async def settle(self) -> None:
            try:
                await Steps.settle(self)
            except DivergenceError as exc:
                await probe.stopped(self, exc.divergence.step_id, exc, None)

    def wrap(name: str) -> Any:
        original = getattr(Steps, name)

        async def method(self: Steps, step_id: str, *args: Any, **kwargs: Any) -> Any:
            candidates = args[0] if args and isinstance(args[0], list) else None
            for _ in range(3):  # a deferred check of an earlier step may interrupt this one before it acts
                await probe.arm(self.page, step_id)
                try:
                    result = await original(self, step_id, *args, **kwargs)
                except DivergenceError as exc:
                    await probe.stopped(self, step_id, exc, candidates)
                    if exc.divergence.step_id != step_id:
                        continue
                    return None
                probe.watch.done.append(step_id)
                last = self.results[-1] if self.results else None
                index = last.candidate_index if last is not None else None
                took = f"candidate #{index} `{last.selector}` (score {last.score})" if last is not None else "?"
                if name in _ACTIONS:
                    hit = probe.first_hit() or {}
                    acted = f"{took} acted on {hit.get('element')}"
                    probe.note(step_id, await probe.after_action(self.page, step_id), acted)
                elif name in _CHECKS:
                    right = await probe.after_check(self.page, step_id, candidates, index)
                    probe.note(step_id, right, f"{took} verified another element")
                return result
            return None

        method.__name__ = name
        return method

    for name in (*_ACTIONS, *_CHECKS, *_OTHER):
        if hasattr(Steps, name):
            setattr(Watched, name, wrap(name))
    return Watched
