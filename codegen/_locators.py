"""Selector candidates as ordinary Playwright locator expressions."""

from __future__ import annotations

import libcst as cst

from tracer import Candidate, Target

from ._literal import literal

__all__ = ["candidate_list", "locator_expression"]

# strategy -> (Page method, keyword that carries `exact` when set)
_GETTERS = {
    "test_id": "get_by_test_id",
    "role": "get_by_role",
    "label": "get_by_label",
    "placeholder": "get_by_placeholder",
    "alt": "get_by_alt_text",
    "title": "get_by_title",
    "text": "get_by_text",
}


def _call(receiver: cst.BaseExpression, method: str, *args: cst.Arg) -> cst.Call:
    return cst.Call(cst.Attribute(receiver, cst.Name(method)), list(args))


def _kwarg(name: str, value: object) -> cst.Arg:
    return cst.Arg(
        literal(value),
        keyword=cst.Name(name),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )


def locator_expression(candidate: Candidate, frame_path: tuple[str, ...] = ()) -> cst.BaseExpression:
    scope: cst.BaseExpression = cst.Name("page")
    for frame_selector in frame_path:
        scope = _call(scope, "frame_locator", cst.Arg(literal(frame_selector)))
    if candidate.scope is not None:
        # page.get_by_role("row").filter(has_text="Order 1002").get_by_role(...)
        container = candidate.scope
        method = "get_by_role" if container.strategy == "role" else "locator"
        scope = _call(_call(scope, method, cst.Arg(literal(container.value))), "filter", _kwarg("has_text", container.has_text))
    if candidate.strategy == "css":
        expr = _call(scope, "locator", cst.Arg(literal(candidate.value)))
    elif candidate.strategy == "xpath":
        expr = _call(scope, "locator", cst.Arg(literal("xpath=" + candidate.value)))
    else:
        args = [cst.Arg(literal(candidate.value))]
        if candidate.name is not None:
            args.append(_kwarg("name", candidate.name))
        if candidate.exact:
            args.append(_kwarg("exact", True))
        expr = _call(scope, _GETTERS[candidate.strategy], *args)
    if candidate.nth is not None:
        expr = _call(expr, "nth", cst.Arg(literal(candidate.nth)))
    return expr


def candidate_list(target: Target) -> cst.List:
    return cst.List([cst.Element(locator_expression(c, target.frame_path)) for c in target.candidates])
