"""Templates and expressions in workflows (goals, URLs, cache keys, conditions), in a bounded Jinja sandbox.

Workflow templates fill in values; they are not programs. So:
- no side effects: Jinja's immutable sandbox (`outputs.update(...)` is refused), no `{% set %}`;
- bounded cost: no loops, macros or includes (a `for_loop` block iterates), `range` up to 10 000, no
  filter or method that multiplies its input (`center`, `indent`, `wordwrap`, `format`, `str.replace`
  growing past the bound), `*`, `**` and `%` checked before they run, and the result capped;
- clear errors: whatever fails (`1/0`, an unknown name, a refused operation) is one `TemplateProblem` line.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

__all__ = ["MAX_RESULT", "TemplateProblem", "check_expression", "check_template", "evaluate", "parse", "render"]

MAX_RESULT = 100_000
"""Characters (or items) any one value may reach while a template runs, and the rendered result."""
MAX_RANGE = 10_000
_MAX_INT_BITS = 4096

_SAFE_FILTERS = frozenset(
    {
        "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
        "forceescape", "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max",
        "min", "reject", "rejectattr", "reverse", "round", "safe", "select", "selectattr", "sort",
        "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper",
        "urlencode", "wordcount",
    }
)
_SAFE_METHODS: dict[type, frozenset[str]] = {
    str: frozenset(
        {
            "lower", "upper", "title", "capitalize", "casefold", "strip", "lstrip", "rstrip", "startswith",
            "endswith", "split", "rsplit", "splitlines", "isdigit", "isalpha", "isalnum", "isspace",
            "islower", "isupper", "isnumeric", "find", "rfind", "index", "rindex", "count", "removeprefix",
            "removesuffix", "partition", "rpartition",
        }
    ),
    dict: frozenset({"get", "keys", "values", "items"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
}
# Statements a template may hold: text, `{{ expressions }}`, and `{% if %}`.
_ALLOWED_STATEMENTS = (nodes.Template, nodes.Output, nodes.If)


class TemplateProblem(ValueError):
    """A template or expression failed; the message names where."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict)) else 0


def _bounded(value: Any) -> Any:
    if _size(value) > MAX_RESULT:
        raise SecurityError(f"a value grew past {MAX_RESULT} characters or items")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_INT_BITS:
        raise SecurityError(f"a number grew past {_MAX_INT_BITS} bits")
    return value


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range() of {len(numbers)} items; at most {MAX_RANGE}")
    return numbers


def _replace(text: Any, old: str, new: str, count: int | None = None) -> str:
    text = str(text)
    hits = (len(text) + 1) if old == "" else text.count(old)
    if count is not None and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * max(0, len(new) - len(old)) > MAX_RESULT:
        raise SecurityError(f"replace would grow the text past {MAX_RESULT} characters")
    return text.replace(old, new, -1 if count is None else count)


class _Environment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%"})

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is not offered at all (a width of 10**9 is a gigabyte); see is_safe_attribute

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if callable(value):
            for kind, allowed in _SAFE_METHODS.items():
                if isinstance(obj, kind):
                    return attr in allowed
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        if op == "%" and isinstance(left, str):
            raise SecurityError("string formatting with % is not available in workflow templates")
        if op == "**" and isinstance(left, int) and isinstance(right, int) and (
            right < 0 or max(left.bit_length(), 1) * right > _MAX_INT_BITS
        ):
            raise SecurityError(f"{left} ** {right} is too large")
        if op == "*":
            count = right if isinstance(right, int) else left if isinstance(left, int) else None
            sized = left if _size(left) else right
            if count is not None and _size(sized) * max(count, 0) > MAX_RESULT:
                raise SecurityError(f"repeating a value {count} times grows it past {MAX_RESULT}")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > _MAX_INT_BITS:
                raise SecurityError("the product is too large")
        result = _OPERATORS[op](left, right)
        return _bounded(result)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        return _bounded(super().call(context, obj, *args, **kwargs))


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {"*": operator.mul, "**": operator.pow, "%": operator.mod}

_ENV = _Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_ENV.filters = {name: _ENV.filters[name] for name in _SAFE_FILTERS} | {"replace": _replace}
_ENV.globals = {"range": _range, "dict": dict, "true": True, "false": False, "none": None}


def _problem(where: str, exc: BaseException) -> TemplateProblem:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = "" if isinstance(exc, (TemplateError, SecurityError)) else f"{type(exc).__name__}: "
    return TemplateProblem(f"{where}: {kind}{message or type(exc).__name__}")


def parse(template: str) -> nodes.Template:
    """The template's syntax tree (for reading which names it uses)."""
    return _ENV.parse(template)


def check_template(template: str, where: str) -> None:
    """Refuse a template that does not parse or holds a statement other than `{% if %}`."""
    if "{{" not in template and "{%" not in template and "{#" not in template:
        return
    try:
        tree = _ENV.parse(template)
    except TemplateError as exc:
        raise _problem(where, exc) from None
    for node in tree.find_all(nodes.Stmt):
        if not isinstance(node, _ALLOWED_STATEMENTS):
            tag = type(node).__name__.lower()
            raise TemplateProblem(
                f"{where}: `{{% {tag} %}}` is not available in workflow templates (only {{{{ expressions }}}}"
                " and {% if %}; a for_loop block repeats blocks)"
            )


def check_expression(expression: str, where: str) -> None:
    """Refuse an expression that does not parse."""
    try:
        _ENV.compile_expression(expression, undefined_to_none=False)
    except TemplateError as exc:
        raise _problem(where, exc) from None


def render(template: str, context: dict[str, Any], where: str) -> str:
    """`template` with `{{ ... }}` filled from `context`; an unknown name is an error, never an empty string."""
    if "{{" not in template and "{%" not in template:
        return template
    check_template(template, where)
    try:
        result = _ENV.from_string(template).render(**context)
    except Exception as exc:  # noqa: BLE001 - 1/0, a refused operation, a bad filter argument: all one clear line
        raise _problem(where, exc) from None
    if len(result) > MAX_RESULT:
        raise TemplateProblem(f"{where}: the rendered text is longer than {MAX_RESULT} characters")
    return result


def evaluate(expression: str, context: dict[str, Any], where: str) -> Any:
    """The value of a Jinja expression such as `params.tier == "gold"` or `outputs.cart.items`."""
    try:
        return _bounded(_ENV.compile_expression(expression, undefined_to_none=False)(**context))
    except Exception as exc:  # noqa: BLE001 - as in render
        raise _problem(where, exc) from None
