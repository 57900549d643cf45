"""One emitter per DevTools step kind: `await steps.devtools.<step>(...)`, selectors kept as the recording wrote them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

from tracer import (
    DevtoolsChangeAction,
    DevtoolsClickAction,
    DevtoolsCloseAction,
    DevtoolsElement,
    DevtoolsHoverAction,
    DevtoolsKeyAction,
    DevtoolsNavigateAction,
    DevtoolsNetworkAction,
    DevtoolsScrollAction,
    DevtoolsSetViewportAction,
    DevtoolsWaitForElementAction,
    DevtoolsWaitForExpressionAction,
    Step,
)

from ._context import EmitContext
from ._literal import literal

__all__ = ["DEVTOOLS_EMITTERS"]

RUNNER_TIMEOUT = 5000  # the runtime's default, @puppeteer/replay's


def _keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(value, keyword=cst.Name(name), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _call(method: str, step: Step, args: list[cst.Arg]) -> cst.Call:
    receiver = cst.Attribute(cst.Attribute(cst.Name("steps"), cst.Name("devtools")), cst.Name(method))
    return cst.Call(receiver, [cst.Arg(literal(step.id)), *args, *_where(step.action)])


def _where(action: Any) -> list[cst.Arg]:
    """Where the step runs and how long it may take; only what differs from the main page's defaults."""
    args = []
    if getattr(action, "frame", ()):
        args.append(_keyword("frame", literal(list(action.frame))))
    if action.page_url is not None:
        args.append(_keyword("page_url", literal(action.page_url)))
    if action.timeout_ms != RUNNER_TIMEOUT:
        args.append(_keyword("timeout_ms", literal(action.timeout_ms)))
    if action.navigation is not None:
        args.append(_keyword("navigation", literal(action.navigation.url or True)))
    return args


def _element(step: Step, element: DevtoolsElement, ctx: EmitContext, *, acts: bool = True) -> cst.Arg:
    if element.fingerprint is None:
        if acts:
            ctx.warn(step, "imported without a fingerprint: the element the selector race finds is trusted until a"
                           " replay with --enrich records one")
    else:
        ctx.recorded.setdefault(step.id, {})["fingerprint"] = element.fingerprint.model_dump(mode="json", exclude_defaults=True)
    return cst.Arg(literal([list(parts) for parts in element.selectors]))


def emit_click(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsClickAction)
    args = [_element(step, action.element, ctx)]
    if action.offset_x is not None and action.offset_y is not None:
        args.append(_keyword("offset", literal([_number(action.offset_x), _number(action.offset_y)])))
    if action.count != 1:
        args.append(_keyword("count", literal(action.count)))
    if action.button != "primary":
        args.append(_keyword("button", literal(action.button)))
    if action.duration_ms is not None:
        args.append(_keyword("duration_ms", literal(_number(action.duration_ms))))
    return _call("click", step, args)


def emit_hover(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsHoverAction)
    return _call("hover", step, [_element(step, action.element, ctx)])


def emit_change(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsChangeAction)
    return _call("change", step, [_element(step, action.element, ctx), cst.Arg(ctx.value(action.value))])


def emit_key(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsKeyAction)
    return _call(f"key_{action.event}", step, [cst.Arg(literal(action.key))])


def emit_scroll(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsScrollAction)
    target = cst.Arg(cst.Name("None")) if action.element is None else _element(step, action.element, ctx)
    position = [_keyword("x", literal(_number(action.x))), _keyword("y", literal(_number(action.y)))]
    return _call("scroll", step, [target, *position])


def emit_wait_for_element(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsWaitForElementAction)
    args = [_element(step, action.element, ctx, acts=False)]  # a count of matches: no one element to verify
    if action.count != 1:
        args.append(_keyword("count", literal(action.count)))
    if action.operator != ">=":
        args.append(_keyword("operator", literal(action.operator)))
    if not action.visible:
        args.append(_keyword("visible", literal(False)))
    if action.properties is not None:
        args.append(_keyword("properties", literal(action.properties)))
    if action.attributes is not None:
        args.append(_keyword("attributes", literal(action.attributes)))
    return _call("wait_for_element", step, args)


def emit_wait_for_expression(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsWaitForExpressionAction)
    return _call("wait_for_expression", step, [cst.Arg(literal(action.expression))])


def emit_navigate(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsNavigateAction)
    return _call("navigate", step, [cst.Arg(ctx.value(action.url))])


def emit_set_viewport(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsSetViewportAction)
    args = [cst.Arg(literal(action.width)), cst.Arg(literal(action.height))]
    if action.device_scale_factor != 1:
        args.append(_keyword("device_scale_factor", literal(_number(action.device_scale_factor))))
    for name in ("is_mobile", "has_touch", "is_landscape"):
        if getattr(action, name):
            args.append(_keyword(name, literal(True)))
    return _call("set_viewport", step, args)


def emit_close(step: Step, ctx: EmitContext) -> cst.Call:
    assert isinstance(step.action, DevtoolsCloseAction)
    return _call("close", step, [])


def emit_network(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DevtoolsNetworkAction)
    args = [_keyword(name, literal(_number(getattr(action, name)))) for name in ("download", "upload", "latency")]
    return _call("emulate_network", step, args)


DEVTOOLS_EMITTERS: dict[str, Callable[[Step, EmitContext], cst.Call]] = {
    "devtools_change": emit_change,
    "devtools_click": emit_click,
    "devtools_close": emit_close,
    "devtools_hover": emit_hover,
    "devtools_key": emit_key,
    "devtools_navigate": emit_navigate,
    "devtools_network": emit_network,
    "devtools_scroll": emit_scroll,
    "devtools_set_viewport": emit_set_viewport,
    "devtools_wait_for_element": emit_wait_for_element,
    "devtools_wait_for_expression": emit_wait_for_expression,
}
