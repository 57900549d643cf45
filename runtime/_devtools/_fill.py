"""`change` as Puppeteer's Locator.fill does it: typed, selected, toggled, or set, by what the element is."""

from __future__ import annotations

from playwright.async_api import ElementHandle, Keyboard

__all__ = ["CHECKED", "OFFERS", "SELECT", "TYPING_THRESHOLD", "FillRefused", "input_kind", "set_directly", "typed_remainder"]

TYPING_THRESHOLD = 100
"""Shorter values are typed key by key; longer ones (and dates, colours, ranges…) are set directly."""

_KIND = """(el) => {
  if (el instanceof HTMLSelectElement) return "select";
  if (el instanceof HTMLTextAreaElement) return "typeable-input";
  if (el instanceof HTMLInputElement) {
    if (["checkbox", "radio"].includes(el.type)) return "checkable-input";
    if (["text", "url", "tel", "search", "password", "number", "email"].includes(el.type)) return "typeable-input";
    return "other-input";
  }
  if (["checkbox", "radio", "switch"].includes(el.getAttribute("role"))) return "checkable-input";
  if (el.isContentEditable) return "contenteditable";
  return "unknown";
}"""

# Clears the field unless what it holds is a prefix of the new value; answers what is left to type.
_REMAINDER = """(el, value) => {
  const current = el.isContentEditable ? el.innerText : el.value;
  if (current === value) return "";
  if (!value.startsWith(current) || !current) {
    if (el.isContentEditable) el.innerText = ""; else el.value = "";
    return value;
  }
  if (el.isContentEditable) { el.innerText = ""; el.innerText = current; } else { el.value = ""; el.value = current; }
  return value.substring(current.length);
}"""

_DIRECT = """(el, value) => {
  const current = el.isContentEditable ? el.innerText : el.value;
  if (current === value) return;
  if (el.isContentEditable) el.innerText = value; else el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
}"""

# ElementHandle.select: options matched by value only; input and change are dispatched either way.
SELECT = """(el, value) => {
  const chosen = [];
  if (!el.multiple) {
    for (const option of el.options) option.selected = false;
    for (const option of el.options) if (option.value === value) { option.selected = true; chosen.push(value); break; }
  } else {
    for (const option of el.options) { option.selected = option.value === value; if (option.selected) chosen.push(value); }
  }
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
  return chosen;
}"""

OFFERS = "(el, value) => Array.from(el.options).some((o) => o.value === value)"

CHECKED = """(el) => (el.indeterminate || el.getAttribute("aria-checked") === "mixed") ? "mixed"
  : (el.checked || el.getAttribute("aria-checked") === "true")"""


class FillRefused(Exception):
    """The element cannot take the value the way the recording gave it."""


async def input_kind(element: ElementHandle) -> str:
    return await element.evaluate(_KIND)


async def typed_remainder(element: ElementHandle, keyboard: Keyboard, value: str) -> None:
    """Short values into text fields and contenteditables: only what the field does not already start with."""
    remainder = await element.evaluate(_REMAINDER, value)
    if remainder:
        await element.evaluate("(el) => el.focus()")
        await keyboard.type(remainder)


async def set_directly(element: ElementHandle, value: str) -> None:
    await element.evaluate("(el) => el.focus()")
    await element.evaluate(_DIRECT, value)
