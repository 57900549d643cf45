"""Reading values off the page, shared by recording and replay so both give the same data in the same shape."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import ElementHandle, Locator

__all__ = ["IS_VISIBLE", "READ_ONE", "READ_ROWS", "coerce", "read_values"]

IS_VISIBLE = """e => {
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
}"""
"""Playwright's notion of visible: a non-empty box and not visibility:hidden."""

READ_ONE = """(el, attribute) => attribute === null
  ? (el.innerText !== undefined ? el.innerText : el.textContent).replace(/\\s+/g, " ").trim()
  : el.getAttribute(attribute)"""
"""One element's text (whitespace collapsed), or its `attribute`."""

READ_ROWS = """(rows, columns) => rows.map(row => {
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
"""Rows as objects: each column is a selector within the row (or [selector, attribute])."""

_VISIBLE_ONLY = f"(els, arg) => els.filter({IS_VISIBLE})"


async def read_values(
    element: Locator | ElementHandle, attribute: str | None = None, many: bool = False, columns: dict[str, Any] | None = None
) -> Any:
    """A field's value: the text (or attribute) of one element, of every visible match (`many`), or rows (`columns`)."""
    if isinstance(element, ElementHandle):
        return await element.evaluate(READ_ONE, attribute)
    if columns is not None:
        script = f"(els, columns) => ({READ_ROWS})(({_VISIBLE_ONLY})(els), columns)"
        return await element.evaluate_all(script, columns)
    if many:
        script = f"(els, attribute) => ({_VISIBLE_ONLY})(els).map(e => ({READ_ONE})(e, attribute))"
        return await element.evaluate_all(script, attribute)
    return await element.evaluate(READ_ONE, attribute)


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
