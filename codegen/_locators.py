"""Selector candidates as ordinary Playwright locator expressions."""

from __future__ import annotations

import libcst as cst

from tracer import Candidate, Target

from ._literal import literal
from ._template import TemplateUse, template_expression

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


_EQUAL = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))


def _kwarg(name: str, value: object) -> cst.Arg:
    return cst.Arg(literal(value), keyword=cst.Name(name), equal=_EQUAL)


def locator_expression(
    candidate: Candidate, frame_path: tuple[str, ...] = (), use: TemplateUse | None = None
) -> cst.BaseExpression:
    """A candidate as the Playwright locator expression a script uses (`page.get_by_...`); a templated value
    (the name, for role) becomes an f-string or a pattern."""
    scope: cst.BaseExpression = cst.Name("page")
    for frame_selector in frame_path:
        scope = _call(scope, "frame_locator", cst.Arg(literal(frame_selector)))
    if candidate.scope is not None:
        # page.get_by_role("row").filter(has_text="Order 1002").get_by_role(...)
        container = candidate.scope
        method = "get_by_role" if container.strategy == "role" else "locator"
        has_text = (
            template_expression(container.template, use) if container.template is not None else literal(container.has_text)
        )
        has_text_arg = cst.Arg(has_text, keyword=cst.Name("has_text"), equal=_EQUAL)
        scope = _call(_call(scope, method, cst.Arg(literal(container.value))), "filter", has_text_arg)
    template = candidate.template
    text = template_expression(template, use) if template is not None else None
    pattern = isinstance(text, cst.Call)  # re.compile(...): `exact` means nothing to a pattern
    if candidate.strategy == "css":
        expr = _call(scope, "locator", cst.Arg(text if text is not None else literal(candidate.value)))
    elif candidate.strategy == "xpath":
        expr = _call(scope, "locator", cst.Arg(literal("xpath=" + candidate.value)))
    else:
        value = text if text is not None and candidate.strategy != "role" else literal(candidate.value)
        args = [cst.Arg(value)]
        if candidate.name is not None:
            name = text if text is not None else literal(candidate.name)
            args.append(cst.Arg(name, keyword=cst.Name("name"), equal=_EQUAL))
        if candidate.exact and not pattern:
            args.append(_kwarg("exact", True))
        expr = _call(scope, _GETTERS[candidate.strategy], *args)
    if candidate.nth is not None:
        expr = _call(expr, "nth", cst.Arg(literal(candidate.nth)))
    return expr


def candidate_list(target: Target, use: TemplateUse | None = None) -> cst.List:
    """A target's candidates as a list of locator expressions, best first."""
    return cst.List([cst.Element(locator_expression(c, target.frame_path, use)) for c in target.candidates])
