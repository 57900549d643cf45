"""One handler per DevTools step type: the raw step to a DevTools action and the step's intention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._model import (
    DevtoolsChangeAction,
    DevtoolsClickAction,
    DevtoolsCloseAction,
    DevtoolsElement,
    DevtoolsHoverAction,
    DevtoolsKeyAction,
    DevtoolsNavigateAction,
    DevtoolsNavigation,
    DevtoolsNetworkAction,
    DevtoolsScrollAction,
    DevtoolsSetViewportAction,
    DevtoolsWaitForElementAction,
    DevtoolsWaitForExpressionAction,
    LiteralValue,
    ParamRef,
    SecretRef,
)
from ._fields import Refusal, StepFields
from ._selectors import check_selectors, label

__all__ = ["HANDLERS", "RUNNER_TIMEOUT", "StepContext", "Translated"]

RUNNER_TIMEOUT = 5000
"""@puppeteer/replay's PuppeteerRunnerExtension waits this long per step unless told otherwise."""

_BUTTONS = ("primary", "auxiliary", "secondary", "back", "forward")
_DEVICES = ("mouse", "pen", "touch")


@dataclass(frozen=True)
class StepContext:
    index: int
    recording_timeout: int | None
    value: LiteralValue | ParamRef | SecretRef | None
    """The typed value or URL as the trace keeps it (a parameter or secret when lifted)."""


@dataclass(frozen=True)
class Translated:
    action: Any
    intention: str
    warning: str | None = None


Handler = Callable[[StepFields, StepContext], Translated | None]


def _common(fields: StepFields, ctx: StepContext) -> dict[str, Any]:
    return {
        "page_url": fields.page_url(),
        "timeout_ms": fields.timeout(ctx.recording_timeout, RUNNER_TIMEOUT),
        "navigation": _navigation(fields),
    }


def _with_frame(fields: StepFields, ctx: StepContext) -> dict[str, Any]:
    return {**_common(fields, ctx), "frame": fields.frame()}


def _navigation(fields: StepFields) -> DevtoolsNavigation | None:
    if not fields.has("assertedEvents"):
        return None
    events = fields.raw["assertedEvents"]
    if not isinstance(events, list):
        return None  # the parser ignores a non-list
    expected: DevtoolsNavigation | None = None
    for position, event in enumerate(events):
        if not isinstance(event, dict) or "type" not in event:
            raise Refusal(f"assertedEvents[{position}] must be an object with a 'type'")
        if event["type"] != "navigation":
            raise Refusal(f"assertedEvents[{position}]: event type {event['type']!r} is unknown to @puppeteer/replay")
        url = event.get("url")
        if url is not None and not isinstance(url, str):
            raise Refusal(f"assertedEvents[{position}].url must be a string")
        if event.get("title") is not None and not isinstance(event.get("title"), str):
            raise Refusal(f"assertedEvents[{position}].title must be a string")
        expected = DevtoolsNavigation(url=url or None)
    return expected


def _element(fields: StepFields) -> DevtoolsElement:
    selectors = fields.selectors()
    assert selectors is not None
    check_selectors(selectors)
    return DevtoolsElement(selectors=selectors)


def _shown(value: LiteralValue | ParamRef | SecretRef | None) -> str:
    if isinstance(value, SecretRef):
        return f"the secret {value.name}"
    if isinstance(value, ParamRef):
        return f"the parameter {value.name}"
    return repr(value.value) if value is not None else "''"


def _click(fields: StepFields, ctx: StepContext, count: int) -> Translated:
    element = _element(fields)
    button = fields.optional_string("button") or "primary"
    if button not in _BUTTONS:
        raise Refusal(f"'button' {button!r} is not one of {', '.join(_BUTTONS)}")
    device = fields.optional_string("deviceType")
    if device is not None and device not in _DEVICES:
        raise Refusal(f"'deviceType' {device!r} is not one of {', '.join(_DEVICES)}")
    offset_x, offset_y = fields.optional_number("offsetX"), fields.optional_number("offsetY")
    if (offset_x is None) != (offset_y is None):
        raise Refusal("'offsetX' and 'offsetY' go together: one of them is missing")
    warning = None
    if offset_x is None:
        warning = "no offsetX/offsetY: clicks the centre of the element (@puppeteer/replay's parser requires them)"
    duration = fields.optional_number("duration")
    if duration is not None and duration < 0:
        raise Refusal("'duration' cannot be negative")
    action = DevtoolsClickAction(
        element=element, count=count, button=button, offset_x=offset_x, offset_y=offset_y,  # type: ignore[arg-type]
        duration_ms=duration, **_with_frame(fields, ctx),
    )
    verb = {1: "Click", 2: "Double-click"}[count]
    if button != "primary":
        verb += f" (button {button})"
    return Translated(action, f"{verb} {label(element.selectors)}", warning)


def _change(fields: StepFields, ctx: StepContext) -> Translated:
    element = _element(fields)
    fields.string("value")  # the parser's check, also when the value was lifted to a parameter
    action = DevtoolsChangeAction(element=element, value=ctx.value, **_with_frame(fields, ctx))
    return Translated(action, f"Set {label(element.selectors)} to {_shown(ctx.value)}")


def _key(fields: StepFields, ctx: StepContext, event: str) -> Translated:
    key = fields.string("key")
    if not key:
        raise Refusal("'key' is empty")
    action = DevtoolsKeyAction(key=key, event=event, **_common(fields, ctx))  # type: ignore[arg-type]
    verb = "Press and hold" if event == "down" else "Release"
    return Translated(action, f"{verb} {key}")


def _hover(fields: StepFields, ctx: StepContext) -> Translated:
    element = _element(fields)
    return Translated(DevtoolsHoverAction(element=element, **_with_frame(fields, ctx)), f"Hover {label(element.selectors)}")


def _scroll(fields: StepFields, ctx: StepContext) -> Translated:
    selectors = fields.selectors(required=False)
    x, y = fields.optional_number("x") or 0, fields.optional_number("y") or 0
    if selectors is None:
        action = DevtoolsScrollAction(x=x, y=y, **_with_frame(fields, ctx))
        return Translated(action, f"Scroll the page to {x:g},{y:g}")
    check_selectors(selectors)
    element = DevtoolsElement(selectors=selectors)
    action = DevtoolsScrollAction(element=element, x=x, y=y, **_with_frame(fields, ctx))
    return Translated(action, f"Scroll {label(selectors)} to {x:g},{y:g}")


def _wait_for_element(fields: StepFields, ctx: StepContext) -> Translated:
    element = _element(fields)
    operator = fields.optional_string("operator") or ">="
    if operator not in (">=", "==", "<="):
        raise Refusal(f"'operator' {operator!r} is not one of '>=', '==', '<='")
    count = fields.integer("count", 1)
    if count < 0:
        raise Refusal("'count' cannot be negative")
    attributes = fields.raw.get("attributes") if fields.has("attributes") else None
    if attributes is not None and (
        not isinstance(attributes, dict) or not all(isinstance(v, str) for v in attributes.values())
    ):
        raise Refusal("'attributes' must map attribute names to strings")
    properties = fields.raw.get("properties") if fields.has("properties") else None
    if properties is not None and not isinstance(properties, dict):
        raise Refusal("'properties' must be an object")
    visible = fields.boolean("visible", True)
    action = DevtoolsWaitForElementAction(
        element=element, count=count, operator=operator, visible=visible,  # type: ignore[arg-type]
        properties=properties, attributes=attributes, **_with_frame(fields, ctx),
    )
    condition = f"{operator} {count}"
    if properties or attributes:
        condition += " with the recorded properties/attributes"
    verb = "Wait until" if visible else "Wait until no longer"
    return Translated(action, f"{verb} {condition} of {label(element.selectors)}")


def _wait_for_expression(fields: StepFields, ctx: StepContext) -> Translated:
    if not fields.has("expression"):
        raise Refusal("'expression' is missing")
    expression = fields.string("expression")
    if not expression.strip():
        raise Refusal("'expression' is empty")
    action = DevtoolsWaitForExpressionAction(expression=expression, **_with_frame(fields, ctx))
    return Translated(action, "Wait until the page expression holds")


def _navigate(fields: StepFields, ctx: StepContext) -> Translated:
    url = fields.string("url")
    if not url:
        raise Refusal("'url' is empty")
    value = ctx.value if ctx.value is not None else LiteralValue(value=url)
    action = DevtoolsNavigateAction(url=value, **_common(fields, ctx))
    return Translated(action, f"Open {url if isinstance(value, LiteralValue) else _shown(value)}")


def _set_viewport(fields: StepFields, ctx: StepContext) -> Translated:
    width, height = fields.number("width"), fields.number("height")
    if width <= 0 or height <= 0 or width != int(width) or height != int(height):
        raise Refusal("'width' and 'height' must be positive whole numbers of CSS pixels")
    scale = fields.optional_number("deviceScaleFactor")
    if scale is not None and scale <= 0:
        raise Refusal("'deviceScaleFactor' must be positive")
    action = DevtoolsSetViewportAction(
        width=int(width), height=int(height), device_scale_factor=scale or 1,
        is_mobile=fields.boolean("isMobile", False), has_touch=fields.boolean("hasTouch", False),
        is_landscape=fields.boolean("isLandscape", False), **_common(fields, ctx),
    )
    extras = [name for name, on in (("mobile", action.is_mobile), ("touch", action.has_touch),
                                    ("landscape", action.is_landscape)) if on]
    if action.device_scale_factor != 1:
        extras.append(f"scale {action.device_scale_factor:g}")
    more = f" ({', '.join(extras)})" if extras else ""
    return Translated(action, f"Set the viewport to {int(width)}x{int(height)}{more}")


def _close(fields: StepFields, ctx: StepContext) -> Translated:
    where = fields.page_url()
    return Translated(DevtoolsCloseAction(**_common(fields, ctx)), f"Close {where or 'the page'}")


def _network(fields: StepFields, ctx: StepContext) -> Translated:
    download, upload, latency = fields.number("download"), fields.number("upload"), fields.number("latency")
    if latency < 0:
        raise Refusal("'latency' cannot be negative")
    action = DevtoolsNetworkAction(download=download, upload=upload, latency=latency, **_common(fields, ctx))
    state = "offline" if not download and not upload else f"download {download:g} B/s, upload {upload:g} B/s"
    return Translated(action, f"Emulate network conditions: {state}, latency {latency:g} ms")


def _custom(fields: StepFields, ctx: StepContext) -> None:
    if not isinstance(fields.raw.get("name"), str):
        raise Refusal("customStep needs a string 'name'")
    fields.frame()


HANDLERS: dict[str, Handler] = {
    "change": _change,
    "click": lambda f, c: _click(f, c, 1),
    "close": _close,
    "customStep": _custom,
    "doubleClick": lambda f, c: _click(f, c, 2),
    "emulateNetworkConditions": _network,
    "hover": _hover,
    "keyDown": lambda f, c: _key(f, c, "down"),
    "keyUp": lambda f, c: _key(f, c, "up"),
    "navigate": _navigate,
    "scroll": _scroll,
    "setViewport": _set_viewport,
    "waitForElement": _wait_for_element,
    "waitForExpression": _wait_for_expression,
}
