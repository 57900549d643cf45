"""A Chrome DevTools Recorder / @puppeteer/replay recording as an Encore trace, step by step, or a refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .._limits import ShapeError, check_shape
from .._model import Block, LiteralValue, ParamRef, SecretRef, Step, Trace
from ._fields import MAX_TIMEOUT, MIN_TIMEOUT, Refusal, StepFields
from ._lift import Lift, find_leak, plan_lifts, secret_values
from ._steps import HANDLERS, StepContext

__all__ = ["ImportError_", "ImportResult", "import_devtools"]


class ImportError_(ValueError):  # the builtin ImportError means something else
    """A recording that cannot be replayed as recorded; the message names the step and the reason."""


@dataclass
class ImportResult:
    """The imported trace, and warnings about what the recording held that a trace cannot."""

    trace: Trace
    warnings: list[str] = field(default_factory=list)


def import_devtools(
    data: Any,
    *,
    trace_id: str | None = None,
    source: str = "<recording>",
    lifts: list[Lift] | tuple[Lift, ...] = (),
    detect_passwords: bool = True,
) -> ImportResult:
    """Every step with @puppeteer/replay's semantics, or ImportError_ naming the step that has none in Encore.

    `lifts` turn typed values (and navigation URLs) into parameters or secrets; with `detect_passwords`,
    a value typed into a field whose selectors name a password becomes a secret. Secret values are never
    kept: a recording that repeats one elsewhere (a selector, a URL) is refused.
    """
    try:
        check_shape(data, source)
    except ShapeError as exc:
        raise ImportError_(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ImportError_(f"{source}: not a DevTools recording: expected an object with a 'steps' list")
    title = data.get("title", "")
    if not isinstance(title, str):
        raise ImportError_(f"{source}: 'title' must be a string")
    timeout = _recording_timeout(data, source)
    raw_steps: list[Any] = data["steps"]
    try:
        plan, notes = plan_lifts(raw_steps, list(lifts), detect_passwords=detect_passwords)
    except ValueError as exc:
        raise ImportError_(f"{source}: {exc}") from None
    for name, value in sorted(secret_values(raw_steps, plan).items()):
        leak = find_leak(data, value, plan)
        if leak is not None:
            raise ImportError_(f"{source}: {leak} contains the value of secret {name!r}: remove it from the recording"
                               " (a secret is never stored)")
    warnings = list(notes)
    steps: list[Step] = []
    for index, raw in enumerate(raw_steps):
        where = f"{source}: steps[{index}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            raise ImportError_(f"{where}: a step must be an object with a string 'type'")
        handler = HANDLERS.get(raw["type"])
        if handler is None:
            raise ImportError_(f"{where}: unknown step type {raw['type']!r}")
        lifted = plan.get(index)
        value = _value(raw, lifted.parameter.name if lifted else None, bool(lifted and lifted.parameter.secret))
        try:
            translated = handler(StepFields(raw), StepContext(index, timeout, value))
        except Refusal as exc:
            raise ImportError_(f"{where} ({raw['type']}): {exc}") from None
        except ValueError as exc:  # the IR's own validation: name the step, never a traceback
            raise ImportError_(f"{where} ({raw['type']}): {_first_error(exc)}") from None
        if translated is None:
            warnings.append(f"steps[{index}]: customStep {raw.get('name')!r} skipped, as @puppeteer/replay's runner skips it")
            continue
        if translated.warning:
            warnings.append(f"steps[{index}]: {translated.warning}")
        steps.append(Step(id=f"r{index + 1}", action=translated.action, intention=translated.intention))
    if not steps:
        raise ImportError_(f"{source}: the recording has no step to replay")
    start_url = _start_url(raw_steps)
    if start_url is None:
        raise ImportError_(f"{source}: the recording never opens a web page (no http(s) navigate step), so it has no start URL")
    parameters = {lifted.parameter.name: lifted.parameter for lifted in plan.values()}
    trace = Trace(
        id=trace_id or (re.sub(r"[^A-Za-z0-9_.-]+", "-", title).strip("-") or "imported"),
        title=title,
        start_url=start_url,
        parameters=tuple(parameters[name] for name in sorted(parameters)),
        blocks=(Block(label=title or "recording", kind="task", steps=tuple(steps)),),
    )
    return ImportResult(trace, warnings)


def _recording_timeout(data: dict[str, Any], source: str) -> int | None:
    value = data.get("timeout")
    if value is None:
        return None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ImportError_(f"{source}: the recording's 'timeout' must be a number")
    if not MIN_TIMEOUT <= value <= MAX_TIMEOUT:
        raise ImportError_(f"{source}: the recording's 'timeout' {value} is not between {MIN_TIMEOUT} and {MAX_TIMEOUT} ms")
    return max(MIN_TIMEOUT, int(-(-value // 1)))


def _value(raw: dict[str, Any], name: str | None, secret: bool) -> LiteralValue | ParamRef | SecretRef | None:
    if name is not None:
        return SecretRef(name=name) if secret else ParamRef(name=name)
    value = raw.get("value") if raw.get("type") == "change" else None
    return LiteralValue(value=value) if isinstance(value, str) else None


def _start_url(raw_steps: list[Any]) -> str | None:
    """The first web page the main page opens: the origin `--base-url` replaces."""
    for raw in raw_steps:
        if raw.get("type") == "navigate" and raw.get("target", "main") == "main":
            url = raw.get("url")
            if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
                return url
    return None


def _first_error(exc: ValueError) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    return str(exc).splitlines()[0]
