"""Extraction: field specs in generated code, values read from the page, coerced and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jsonschema
from playwright.async_api import Locator

from ._locate import IS_VISIBLE

__all__ = ["FieldSpec", "coerce", "field", "read_field", "reader_for", "validate"]


@dataclass(frozen=True)
class FieldSpec:
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


_READ = """(el, attribute) => attribute === null
  ? (el.innerText !== undefined ? el.innerText : el.textContent).replace(/\\s+/g, " ").trim()
  : el.getAttribute(attribute)"""

_ROWS = """(rows, columns) => rows.map(row => {
  const out = {};
  for (const [name, spec] of Object.entries(columns)) {
    const [selector, attribute] = Array.isArray(spec) ? spec : [spec, null];
    const cell = row.querySelector(selector);
    out[name] = !cell ? null : attribute === null
      ? (cell.innerText !== undefined ? cell.innerText : cell.textContent).replace(/\\s+/g, " ").trim()
      : cell.getAttribute(attribute);
  }
  return out;
})"""

_VISIBLE_ONLY = f"(els, arg) => els.filter({IS_VISIBLE})"


def reader_for(spec: FieldSpec) -> tuple[str, Any]:
    """The field's read as a probe reader: run on the taken elements (the visible ones for lists)."""
    if spec.columns is not None:
        return f"(els, columns) => ({_ROWS})(els, columns)", spec.columns
    if spec.many:
        return f"(els, attribute) => els.map(e => ({_READ})(e, attribute))", spec.attribute
    return f"(els, attribute) => ({_READ})(els[0], attribute)", spec.attribute


async def read_field(spec: FieldSpec, element: Locator) -> Any:
    if spec.columns is not None:
        script = f"(els, columns) => ({_ROWS})(({_VISIBLE_ONLY})(els), columns)"
        return await element.evaluate_all(script, spec.columns)
    if spec.many:
        script = f"(els, attribute) => ({_VISIBLE_ONLY})(els).map(e => ({_READ})(e, attribute))"
        return await element.evaluate_all(script, spec.attribute)
    return await element.evaluate(_READ, spec.attribute)


_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?|[-+]?\.\d+")


def coerce(value: Any, schema: dict[str, Any]) -> Any:
    """Page text into the schema's types where that is unambiguous ("$1,299.50" -> 1299.5)."""
    kind = schema.get("type")
    if isinstance(value, str):
        if kind in ("number", "integer"):
            match = _NUMBER.search(value)
            if match:
                number = float(match.group().replace(",", ""))
                return int(number) if kind == "integer" and number.is_integer() else number
        if kind == "boolean" and value.strip().lower() in ("true", "yes", "false", "no"):
            return value.strip().lower() in ("true", "yes")
        return value
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [coerce(item, schema["items"]) for item in value]
    if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
        props = schema["properties"]
        return {k: coerce(v, props[k]) if isinstance(props.get(k), dict) else v for k, v in value.items()}
    return value


def validate(data: Any, schema: dict[str, Any]) -> str | None:
    """None when `data` satisfies `schema`, else the first error with its path."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    first = errors[0]
    where = "/".join(str(p) for p in first.absolute_path) or "(root)"
    return f"at {where}: {first.message}"
