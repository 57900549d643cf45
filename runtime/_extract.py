"""Extraction: field specs in generated code, values read from the page, coerced and validated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jsonschema
from playwright.async_api import Locator

from tracer import IS_VISIBLE, READ_ONE, READ_ROWS, coerce, read_values

__all__ = ["FieldSpec", "coerce", "field", "read_field", "reader_for", "validate"]


@dataclass(frozen=True)
class FieldSpec:
    """One output field of a generated `steps.extract(...)` call; made by `field(...)`."""

    candidates: list[Locator]
    attribute: str | None = None
    many: bool = False
    columns: dict[str, str | list[str]] | None = None


def field(
    candidates: list[Locator],
    *,
    attribute: str | None = None,
    many: bool = False,
    columns: dict[str, str | list[str]] | None = None,
) -> FieldSpec:
    """One output field: the element's text (or `attribute`), every match's (`many`), or table rows (`columns`)."""
    return FieldSpec(candidates, attribute, many or bool(columns), columns)


_READ, _ROWS = READ_ONE, READ_ROWS
_VISIBLE_ONLY = f"(els, arg) => els.filter({IS_VISIBLE})"


def reader_for(spec: FieldSpec) -> tuple[str, Any]:
    """The field's read as a probe reader: run on the taken elements (the visible ones for lists)."""
    if spec.columns is not None:
        return f"(els, columns) => ({_ROWS})(els, columns)", spec.columns
    if spec.many:
        return f"(els, attribute) => els.map(e => ({_READ})(e, attribute))", spec.attribute
    return f"(els, attribute) => ({_READ})(els[0], attribute)", spec.attribute


async def read_field(spec: FieldSpec, element: Locator) -> Any:
    """The field's value read from `element` (the recorder reads the same way: same data, same shape)."""
    return await read_values(element, spec.attribute, spec.many, spec.columns)


def validate(data: Any, schema: dict[str, Any]) -> str | None:
    """None when `data` satisfies `schema`, else the first error with its path."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    where = "/".join(str(p) for p in first.absolute_path) or "(root)"
    return f"at {where}: {first.message}"
