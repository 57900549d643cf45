"""Extraction through the recorder: the model points at elements, the page supplies the values.

Values are read back through the recorded candidates with the runtime's own reader, so what the agent
returns is exactly what the compiled script will extract later without a model.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import ElementHandle, Page

from runtime._extract import FieldSpec, coerce, read_field, validate
from runtime._locators import locators_for
from tracer import ExtractAction

__all__ = ["ExtractionError", "cell_selector", "read_back"]


class ExtractionError(ValueError):
    """The pointed-at elements do not yield data of the required shape; the message is for the model."""


_CELL_PATH = """(row, cell) => {
  if (!row.contains(cell) || row === cell) return null;
  const parts = [];
  for (let el = cell; el !== row; el = el.parentElement) {
    const same = Array.from(el.parentElement.children).filter((c) => c.tagName === el.tagName);
    const tag = el.tagName.toLowerCase();
    parts.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(el) + 1})` : tag);
  }
  return ":scope > " + parts.join(" > ");
}"""


async def cell_selector(row: ElementHandle, cell: ElementHandle) -> str | None:
    """A CSS selector for `cell` relative to `row` (the same path then picks that column in every row)."""
    return await row.evaluate(_CELL_PATH, cell)


async def read_back(page: Page, action: ExtractAction) -> dict[str, Any]:
    """Read a recorded extraction through its candidates; coerce to and validate against its schema."""
    properties = action.json_schema.get("properties", {})
    data: dict[str, Any] = {}
    for item in action.fields:
        columns = {c.name: (c.selector if c.attribute is None else [c.selector, c.attribute]) for c in item.columns}
        spec = FieldSpec([], item.attribute, item.many, columns or None)
        for locator in locators_for(page, item.target):
            count = await locator.count()
            if count == 1 or (item.many and count > 0):
                raw = await read_field(spec, locator)
                break
        else:
            raise ExtractionError(f"field {item.name!r}: no recorded selector finds the element again")
        schema = properties.get(item.name)
        data[item.name] = coerce(raw, schema) if isinstance(schema, dict) else raw
    problem = validate(data, action.json_schema)
    if problem:
        raise ExtractionError(f"the extracted data does not fit the output schema {problem}; got {data!r}")
    return data
