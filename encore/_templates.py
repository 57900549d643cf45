"""Templates and expressions in workflows (goals, URLs, cache keys, conditions), in Jinja's sandbox."""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

__all__ = ["TemplateProblem", "evaluate", "render"]

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


class TemplateProblem(ValueError):
    """A template or expression failed; the message names where."""


def render(template: str, context: dict[str, Any], where: str) -> str:
    """`template` with `{{ ... }}` filled from `context`; an unknown name is an error, never an empty string."""
    if "{{" not in template and "{%" not in template:
        return template
    try:
        return _ENV.from_string(template).render(**context)
    except TemplateError as exc:
        raise TemplateProblem(f"{where}: {exc}") from None


def evaluate(expression: str, context: dict[str, Any], where: str) -> Any:
    """The value of a Jinja expression such as `params.tier == "gold"` or `outputs.cart.items`."""
    try:
        return _ENV.compile_expression(expression, undefined_to_none=False)(**context)
    except TemplateError as exc:
        raise TemplateProblem(f"{where}: {exc}") from None
