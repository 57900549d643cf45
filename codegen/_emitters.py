"""One emitter per action kind: a step becomes one call into the runtime's `Steps`."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from tracer import (
    AssertAction,
    ClickAction,
    CompleteAction,
    DownloadAction,
    ElementState,
    ElementText,
    ExtractAction,
    FieldValue,
    FillAction,
    GotoAction,
    HoverAction,
    PressAction,
    ScrollAction,
    SelectOptionAction,
    SetCheckedAction,
    SetViewportAction,
    Step,
    Target,
    TerminateAction,
    UploadFileAction,
    UrlMatches,
    WaitForAction,
)

from ._context import EmitContext
from ._devtools_emitters import DEVTOOLS_EMITTERS
from ._literal import comment_lines, literal
from ._locators import candidate_list
from ._template import template_expression

__all__ = ["EMITTERS", "emit_step"]

Emitter = Callable[[Step, EmitContext], cst.Call]


def _arg(value: cst.BaseExpression, keyword: str | None = None) -> cst.Arg:
    if keyword is None:
        return cst.Arg(value)
    return cst.Arg(
        value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )


def _steps_call(method: str, step: Step, *args: cst.Arg) -> cst.Call:
    return cst.Call(
        cst.Attribute(cst.Name("steps"), cst.Name(method)),
        [_arg(literal(step.id)), *args],
    )


def _target(step: Step, target: Target, ctx: EmitContext) -> cst.Arg:
    ctx.record_target(step, target)
    return _arg(candidate_list(target, ctx.templates))


def _optional_target(step: Step, target: Target | None, ctx: EmitContext) -> cst.Arg:
    return _arg(cst.Name("None")) if target is None else _target(step, target, ctx)


def emit_goto(step: Step, ctx: EmitContext) -> cst.Call:
    assert isinstance(step.action, GotoAction)
    url = step.action.template
    address = template_expression(url, ctx.templates) if url is not None else ctx.value(step.action.url)
    return _steps_call("goto", step, _arg(address))


def emit_set_viewport(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, SetViewportAction)
    return _steps_call("set_viewport", step, _arg(literal(action.width)), _arg(literal(action.height)))


def emit_click(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, ClickAction)
    args = [_target(step, action.target, ctx)]
    if action.button != "left":
        args.append(_arg(literal(action.button), "button"))
    if action.click_count != 1:
        args.append(_arg(literal(action.click_count), "click_count"))
    if action.modifiers:
        args.append(_arg(literal(list(action.modifiers)), "modifiers"))
    if action.opens_page:
        args.append(_arg(literal(True), "opens_page"))
    return _steps_call("click", step, *args)


def emit_fill(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, FillAction)
    ctx.record_secret_origins(step, action.value)
    return _steps_call("fill", step, _target(step, action.target, ctx), _arg(ctx.value(action.value)))


def emit_select_option(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, SelectOptionAction)
    options = cst.List([cst.Element(ctx.value(v)) for v in action.options])
    args = [_target(step, action.target, ctx), _arg(options)]
    if action.by != "label":
        args.append(_arg(literal(action.by), "by"))
    return _steps_call("select_option", step, *args)


def emit_set_checked(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, SetCheckedAction)
    return _steps_call("set_checked", step, _target(step, action.target, ctx), _arg(literal(action.checked)))


def emit_press(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, PressAction)
    return _steps_call("press", step, _optional_target(step, action.target, ctx), _arg(literal(action.key)))


def emit_hover(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, HoverAction)
    return _steps_call("hover", step, _target(step, action.target, ctx))


def emit_scroll(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, ScrollAction)
    return _steps_call(
        "scroll",
        step,
        _optional_target(step, action.target, ctx),
        _arg(literal(action.delta_x), "delta_x"),
        _arg(literal(action.delta_y), "delta_y"),
    )


def emit_upload_file(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, UploadFileAction)
    files = cst.List([cst.Element(ctx.value(v)) for v in action.files])
    return _steps_call("upload_file", step, _target(step, action.target, ctx), _arg(files))


def emit_download(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, DownloadAction)
    args = [_target(step, action.target, ctx)]
    if action.save_as is not None:
        args.append(_arg(ctx.value(action.save_as), "save_as"))
    return _steps_call("download", step, *args)


def emit_wait_for(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, WaitForAction)
    timeout = _arg(literal(action.timeout_ms), "timeout_ms")
    if action.url is not None:
        return _steps_call("wait_for_url", step, _arg(literal(action.url)), timeout)
    if action.expression is not None:
        return _steps_call("wait_for_expression", step, _arg(literal(action.expression)), timeout)
    assert action.target is not None
    return _steps_call(
        "wait_for", step, _target(step, action.target, ctx), _arg(literal(action.state), "state"), timeout
    )


def emit_extract(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, ExtractAction)
    ctx.runtime_names.add("field")
    elements = []
    for spec in action.fields:
        ctx.record_target(step, spec.target, key=f"fingerprint:{spec.name}")
        args = [_arg(candidate_list(spec.target, ctx.templates))]
        if spec.attribute is not None:
            args.append(_arg(literal(spec.attribute), "attribute"))
        if spec.many and not spec.columns:
            args.append(_arg(literal(True), "many"))
        if spec.columns:
            columns = {
                c.name: c.selector if c.attribute is None else [c.selector, c.attribute] for c in spec.columns
            }
            args.append(_arg(literal(columns), "columns"))
        call = cst.Call(cst.Name("field"), args)
        elements.append(cst.DictElement(literal(spec.name), call))
    ctx.recorded.setdefault(step.id, {})["schema"] = action.json_schema
    return _steps_call("extract", step, _arg(literal(action.output)), _arg(cst.Dict(elements)))


def emit_assert(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, AssertAction)
    condition = action.condition
    if isinstance(condition, UrlMatches):
        return _steps_call("expect_url", step, _arg(literal(condition.pattern)))
    assert condition.target is not None  # the IR refuses an assert without a target
    target = _target(step, condition.target, ctx)
    if isinstance(condition, ElementText):
        if not isinstance(condition.text, str):  # assert_text(param(...)): the run's value
            expected = ctx.value(condition.text)
        elif condition.template is not None:
            expected = template_expression(condition.template, ctx.templates)
        else:
            expected = literal(condition.text)
        args = [target, _arg(expected)]
        if condition.exact:
            args.append(_arg(literal(True), "exact"))
        return _steps_call("expect_text", step, *args)
    if isinstance(condition, FieldValue):
        return _steps_call("expect_value", step, target, _arg(ctx.value(condition.value)))
    assert isinstance(condition, ElementState)
    return _steps_call("expect_state", step, target, _arg(literal(condition.state)))


def emit_complete(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, CompleteAction)
    return _steps_call("complete", step, _arg(literal(action.summary)))


def emit_terminate(step: Step, ctx: EmitContext) -> cst.Call:
    action = step.action
    assert isinstance(action, TerminateAction)
    return _steps_call("terminate", step, _arg(literal(action.reason)))


EMITTERS: dict[str, Emitter] = {
    "assert": emit_assert,
    "click": emit_click,
    "complete": emit_complete,
    "download": emit_download,
    "extract": emit_extract,
    "fill": emit_fill,
    "goto": emit_goto,
    "hover": emit_hover,
    "press": emit_press,
    "scroll": emit_scroll,
    "select_option": emit_select_option,
    "set_checked": emit_set_checked,
    "set_viewport": emit_set_viewport,
    "terminate": emit_terminate,
    "upload_file": emit_upload_file,
    "wait_for": emit_wait_for,
    **DEVTOOLS_EMITTERS,
}


def emit_step(step: Step, ctx: EmitContext) -> list[cst.SimpleStatementLine]:
    """`await steps.<kind>(...)` preceded by the intention as a comment."""
    ctx.record_step(step)
    call = EMITTERS[step.action.kind](step, ctx)
    statements = [cst.SimpleStatementLine([cst.Expr(cst.Await(call))], leading_lines=comment_lines(step.intention))]
    if isinstance(step.action, ClickAction) and step.action.opens_page:
        # The click opened a tab: the locators that follow must address it.
        statements.append(cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name("page"))], _steps_page())]))
    return statements


def _steps_page() -> cst.Attribute:
    return cst.Attribute(cst.Name("steps"), cst.Name("page"))
