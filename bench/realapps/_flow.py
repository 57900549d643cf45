"""A flow as data: each step's intention, the element (as a careful person locates it) and the value.

The same description records the trace through Encore's Recorder on one release, and, on a replay,
serves as the oracle: the element the step means, and the action a heal would have taken at a stop.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.async_api import Locator, Page

from tracer import ParamRef, Recorder, SecretRef, Trace

__all__ = ["Flow", "FlowStep", "Value", "perform", "record", "resolve"]

_TIMEOUT_MS = 10_000

Kind = Literal["goto", "fill", "select", "check", "click", "press", "assert_text"]
# A value is a literal, a parameter, a secret, text built from the parameters (an assertion's text, which
# the recorder can only store as the literal it was on the recording run), or, for an assertion whose text
# holds ids the application chose, a pattern: the text the page shows is recorded as it was.
Value = str | bool | ParamRef | SecretRef | Callable[[Mapping[str, Any]], str] | re.Pattern[str] | None
# The element, from the page and the run's parameters (a row is told apart by the value typed into it).
Target = Callable[[Page, Mapping[str, Any]], Locator]


@dataclass(frozen=True)
class FlowStep:
    kind: Kind
    intention: str
    target: Target | None = None
    """The element, located the way a person would on either release."""
    value: Value = None
    """goto: a path below the base URL; fill/select/press/assert_text: the text; check: the state."""
    url: str | None = None
    """A regex the page URL matches once the step did the right thing (judges URL divergences)."""
    note: str = ""
    """How the element differs between the releases, when it does: quoted beside any stop on it."""


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    steps: tuple[FlowStep, ...]
    record_params: dict[str, str]
    replay_params: dict[str, str]
    """New data for the replays: every typed value differs from the recording's."""
    secrets: dict[str, str] = field(default_factory=dict)


def resolve(value: Value, params: Mapping[str, Any], secrets: Mapping[str, str]) -> Any:
    """The value as typed on a run with these parameters."""
    if isinstance(value, SecretRef):
        return secrets[value.name]
    if isinstance(value, ParamRef):
        return params[value.name]
    if callable(value) and not isinstance(value, re.Pattern):
        return value(params)
    return value


async def record(flow: Flow, page: Page, base_url: str, path: Path) -> tuple[Trace, dict[str, FlowStep]]:
    """Record `flow` through the Recorder; returns the trace and the flow step behind each trace step id."""
    rec = Recorder(page, trace_id=flow.name, title=flow.title, params=dict(flow.record_params), secrets=dict(flow.secrets))
    by_id: dict[str, FlowStep] = {}
    for step in flow.steps:
        await _record_step(rec, step, base_url, flow.record_params)
        by_id[rec.steps[-1].id] = step
    return rec.save(path), by_id


async def _record_step(rec: Recorder, step: FlowStep, base_url: str, params: Mapping[str, Any]) -> None:
    # Parameters and secrets go to the recorder as references; text built from parameters is a literal.
    value = step.value if isinstance(step.value, (ParamRef, SecretRef)) or not callable(step.value) else step.value(params)
    target = step.target(rec.page, params) if step.target is not None else None
    if isinstance(value, re.Pattern):
        shown = " ".join((await _one(target).inner_text()).split())
        if not value.search(shown):
            raise ValueError(f"{step.intention}: the page shows {shown!r}, not {value.pattern!r}")
        value = shown
    if step.kind == "goto":
        await rec.goto(base_url + str(value), step.intention)
    elif step.kind == "fill":
        await rec.fill(_one(target), value, step.intention)  # type: ignore[arg-type]
    elif step.kind == "select":
        await rec.select_option(_one(target), [value], step.intention)  # type: ignore[list-item]
    elif step.kind == "check":
        await rec.set_checked(_one(target), bool(value), step.intention)
    elif step.kind == "click":
        await rec.click(_one(target), step.intention)
    elif step.kind == "press":
        await rec.press(target, str(value), step.intention)
    elif step.kind == "assert_text":
        await rec.assert_text(_one(target), str(value), step.intention)


async def perform(step: FlowStep, page: Page, base_url: str, params: Mapping[str, Any], secrets: Mapping[str, str]) -> None:
    """Do the step with its own locator: what a successful heal would have done at a stop."""
    value = resolve(step.value, params, secrets)
    target = step.target(page, params) if step.target is not None else None
    wait = {"timeout": _TIMEOUT_MS}
    if step.kind == "goto":
        await page.goto(base_url + str(value), wait_until="load")
    elif step.kind == "fill":
        await _one(target).fill(str(value), **wait)
    elif step.kind == "select":
        await _one(target).select_option(label=str(value), **wait)
    elif step.kind == "check":
        await _one(target).set_checked(bool(value), **wait)
    elif step.kind in ("click", "press"):
        if step.kind == "click":
            await _one(target).click(**wait)
        elif target is None:
            await page.keyboard.press(str(value))
        else:
            await target.press(str(value), **wait)
        await page.wait_for_load_state("load")


def _one(target: Locator | None) -> Locator:
    if target is None:
        raise ValueError("this kind of step needs a target")
    return target
