"""Importer: Chrome DevTools Recorder / @puppeteer/replay JSON recordings to an Encore trace."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ._limits import ShapeError, check_shape
from ._model import (
    Block,
    Candidate,
    ClickAction,
    FillAction,
    GotoAction,
    HoverAction,
    LiteralValue,
    PressAction,
    ScrollAction,
    SetViewportAction,
    Step,
    Target,
    Trace,
    UrlMatches,
    WaitForAction,
)

__all__ = ["ImportError_", "ImportResult", "import_devtools"]

_BUTTONS = {"primary": "left", "auxiliary": "middle", "secondary": "right", "back": None, "forward": None}
# Types the format defines that have no Encore equivalent: kept as warnings, not refused.
_UNSUPPORTED = {"close", "emulateNetworkConditions", "customStep"}
_KNOWN = {
    "setViewport", "navigate", "click", "doubleClick", "change", "keyDown", "keyUp", "hover", "scroll",
    "waitForElement", "waitForExpression", *_UNSUPPORTED,
}


class ImportError_(ValueError):  # noqa: N801 - the builtin ImportError means something else
    """A recording that cannot be read; the message names the step and the field."""


@dataclass
class ImportResult:
    trace: Trace
    warnings: list[str] = field(default_factory=list)


def import_devtools(data: Any, *, trace_id: str | None = None, source: str = "<recording>") -> ImportResult:
    try:
        check_shape(data, source)
    except ShapeError as exc:
        raise ImportError_(str(exc)) from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ImportError_(f"{source}: not a DevTools recording: expected an object with a 'steps' list")
    importer = _Importer(source)
    raw_steps = data["steps"]
    for index, raw in enumerate(raw_steps):
        importer.step(index, raw, raw_steps[index + 1] if index + 1 < len(raw_steps) else None)
    if not importer.steps:
        raise ImportError_(f"{source}: the recording has no step that Encore can replay")
    title = str(data.get("title") or "")
    trace_id = trace_id or (re.sub(r"[^A-Za-z0-9_.-]+", "-", title).strip("-") or "imported")
    start_url = next((s.action.url.value for s in importer.steps if isinstance(s.action, GotoAction)
                      and isinstance(s.action.url, LiteralValue)), None)
    if start_url is None:
        raise ImportError_(f"{source}: the recording never navigates, so it has no start URL")
    trace = Trace(
        id=trace_id,
        title=title,
        start_url=str(start_url),
        blocks=(Block(label=title or "recording", kind="task", steps=tuple(importer.steps)),),
    )
    return ImportResult(trace, importer.warnings)


class _Importer:
    def __init__(self, source: str) -> None:
        self.source = source
        self.steps: list[Step] = []
        self.warnings: list[str] = []
        self._skip_key_up: set[int] = set()

    def warn(self, index: int, message: str) -> None:
        self.warnings.append(f"steps[{index}]: {message}")

    def fail(self, index: int, message: str) -> ImportError_:
        return ImportError_(f"{self.source}: steps[{index}]: {message}")

    def add(self, index: int, action: Any, intention: str, post: tuple = ()) -> None:
        self.steps.append(Step(id=f"r{index + 1}", action=action, intention=intention, postconditions=post))

    def step(self, index: int, raw: Any, following: Any) -> None:
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            raise self.fail(index, "a step must be an object with a string 'type'")
        kind = raw["type"]
        if kind not in _KNOWN:
            raise self.fail(index, f"unknown step type {kind!r}")
        if kind in _UNSUPPORTED:
            self.warn(index, f"{kind} has no Encore equivalent; skipped")
            return
        if raw.get("target", "main") != "main":
            raise self.fail(index, f"steps in other targets ({raw['target']!r}: popups, new tabs) cannot be imported")
        getattr(self, f"_{_snake(kind)}")(index, raw, following)

    # --- one method per step type --------------------------------------------

    def _set_viewport(self, index: int, raw: dict, following: Any) -> None:
        width, height = _require(raw, "width", int, self, index), _require(raw, "height", int, self, index)
        extras = [k for k in ("deviceScaleFactor", "isMobile", "hasTouch", "isLandscape") if raw.get(k) not in (None, 1, False)]
        if extras:
            self.warn(index, f"viewport {', '.join(extras)} not kept: set them on the browser context")
        self.add(index, SetViewportAction(width=width, height=height), f"Set the viewport to {width}x{height}")

    def _navigate(self, index: int, raw: dict, following: Any) -> None:
        url = _require(raw, "url", str, self, index)
        self.add(index, GotoAction(url=LiteralValue(value=url)), f"Open {url}", self._asserted_navigation(raw))

    def _click(self, index: int, raw: dict, following: Any, click_count: int = 1) -> None:
        button = _BUTTONS.get(raw.get("button", "primary"), "left")
        if button is None:
            self.warn(index, f"mouse button {raw.get('button')!r} is not supported; clicked with the left one")
            button = "left"
        target = self._target(index, raw)
        # DevTools records a double click as a click followed by doubleClick on the same element:
        # replayed as one double click, the page sees what the user's double click gave it.
        if isinstance(following, dict) and following.get("type") == "doubleClick" and following.get("selectors") == raw.get("selectors"):
            return
        verb = {1: "Click", 2: "Double-click"}[click_count]
        post = self._asserted_navigation(raw)
        self.add(index, ClickAction(target=target, button=button, click_count=click_count), f"{verb} {_describe(target)}", post)

    def _double_click(self, index: int, raw: dict, following: Any) -> None:
        self._click(index, raw, following, click_count=2)

    def _change(self, index: int, raw: dict, following: Any) -> None:
        value = _require(raw, "value", str, self, index)
        target = self._target(index, raw)
        self.add(index, FillAction(target=target, value=LiteralValue(value=value)), f"Set {_describe(target)} to {value!r}")

    def _key_down(self, index: int, raw: dict, following: Any) -> None:
        key = _require(raw, "key", str, self, index)
        if not (isinstance(following, dict) and following.get("type") == "keyUp" and following.get("key") == key):
            self.warn(index, f"keyDown {key!r} without its keyUp: replayed as a full key press")
        else:
            self._skip_key_up.add(index + 1)
        self.add(index, PressAction(key=key), f"Press {key}", self._asserted_navigation(raw))

    def _key_up(self, index: int, raw: dict, following: Any) -> None:
        if index not in self._skip_key_up:
            self.warn(index, f"keyUp {raw.get('key')!r} without its keyDown: skipped")

    def _hover(self, index: int, raw: dict, following: Any) -> None:
        target = self._target(index, raw)
        self.add(index, HoverAction(target=target), f"Hover {_describe(target)}")

    def _scroll(self, index: int, raw: dict, following: Any) -> None:
        if raw.get("selectors"):
            target = self._target(index, raw)
            self.add(index, ScrollAction(target=target), f"Scroll {_describe(target)} into view")
            return
        x, y = int(raw.get("x", 0)), int(raw.get("y", 0))
        self.warn(index, "page scroll to an absolute position is replayed as a scroll by that much from the top")
        self.add(index, ScrollAction(delta_x=x, delta_y=y), f"Scroll the page to {x},{y}")

    def _wait_for_element(self, index: int, raw: dict, following: Any) -> None:
        target = self._target(index, raw)
        if raw.get("count", 1) != 1 or raw.get("operator", "==") != "==":
            self.warn(index, "element count conditions are not kept: waits for one element")
        if raw.get("properties") or raw.get("attributes"):
            self.warn(index, "property and attribute conditions are not kept")
        state = "visible" if raw.get("visible", True) else "hidden"
        timeout = int(raw.get("timeout", 10_000))
        self.add(index, WaitForAction(target=target, state=state, timeout_ms=timeout), f"Wait for {_describe(target)}")

    def _wait_for_expression(self, index: int, raw: dict, following: Any) -> None:
        expression = _require(raw, "expression", str, self, index)
        timeout = int(raw.get("timeout", 10_000))
        self.add(index, WaitForAction(expression=expression, timeout_ms=timeout), "Wait until the page expression holds")

    # --- selectors ------------------------------------------------------------

    def _asserted_navigation(self, raw: dict) -> tuple:
        return tuple(
            UrlMatches(pattern=e["url"])
            for e in raw.get("assertedEvents", [])
            if isinstance(e, dict) and e.get("type") == "navigation" and e.get("url")
        )

    def _target(self, index: int, raw: dict) -> Target:
        selectors = raw.get("selectors")
        if isinstance(selectors, str):
            selectors = [selectors]
        if not isinstance(selectors, list) or not selectors:
            raise self.fail(index, "'selectors' must be a non-empty list")
        candidates: list[Candidate] = []
        for position, alternative in enumerate(selectors):
            parts = alternative if isinstance(alternative, list) else [alternative]
            if not parts or not all(isinstance(p, str) and p for p in parts):
                raise self.fail(index, f"selectors[{position}] must be a string or a list of strings")
            mapped = _candidates(parts)
            if not mapped:
                self.warn(index, f"selectors[{position}] {json.dumps(alternative)} has no Playwright equivalent; dropped")
            candidates.extend(c for c in mapped if c not in candidates)
        if not candidates:
            raise self.fail(index, "none of the selectors can be replayed")
        frame = raw.get("frame") or []
        if not isinstance(frame, list) or not all(isinstance(i, int) and i >= 0 for i in frame):
            raise self.fail(index, "'frame' must be a list of frame indexes")
        frame_path = tuple(f"iframe >> nth={i}" for i in frame)
        return Target(candidates=tuple(candidates), frame_path=frame_path)


_ARIA = re.compile(r'^(?P<name>.*?)(?:\[role="(?P<role>[a-z]+)"\])?$', re.S)


def _candidates(parts: list[str]) -> list[Candidate]:
    """One DevTools alternative (several parts pierce shadow roots) as Encore candidates."""
    *outer, last = parts
    if outer:
        # Playwright's CSS engine pierces open shadow roots, so a descendant chain reaches inside.
        if all(not _prefixed(p) or p.startswith("pierce/") for p in parts):
            chain = " ".join(p.removeprefix("pierce/") for p in parts)
            return [Candidate(strategy="css", value=chain)]
        if last.startswith("aria/"):
            return _candidates([last])
        return []
    if last.startswith("aria/"):
        match = _ARIA.match(last[len("aria/"):])
        assert match is not None
        name, role = match.group("name"), match.group("role")
        if not name:
            return []
        if role:
            return [Candidate(strategy="role", value=role, name=name, exact=True)]
        # An accessible name without a role: the element's text, or its label.
        return [Candidate(strategy="text", value=name, exact=True), Candidate(strategy="label", value=name, exact=True)]
    if last.startswith("text/"):
        return [Candidate(strategy="text", value=last[len("text/"):])] if len(last) > 5 else []
    if last.startswith("xpath/"):
        return [Candidate(strategy="xpath", value=last[len("xpath/"):])] if len(last) > 6 else []
    if last.startswith("pierce/"):
        return [Candidate(strategy="css", value=last[len("pierce/"):])] if len(last) > 7 else []
    return [Candidate(strategy="css", value=last)]


def _prefixed(selector: str) -> bool:
    return bool(re.match(r"^(aria|text|xpath|pierce)/", selector))


def _describe(target: Target) -> str:
    first = target.candidates[0]
    return f"{first.name or first.value}" if first.strategy == "role" else first.value


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _require(raw: dict, key: str, kind: type, importer: _Importer, index: int) -> Any:
    value = raw.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise importer.fail(index, f"'{key}' must be a {kind.__name__}")
    return value
