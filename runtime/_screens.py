"""Screenshots that cannot show a secret: password fields and every element showing a secret are masked.

Which elements show a secret is decided here, in Python, from what the page reports; the secrets are
never sent into the page (a page's own scripts can read what an evaluation is given, and a replay may be
on a site the secret does not belong to).
"""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Frame, Locator, Page

from tracer import Redactor

__all__ = ["MASK_ATTRIBUTE", "masked_screenshot"]

MASK_ATTRIBUTE = "data-encore-mask"
# Every element's visible strings (a field's value, a placeholder, its own text), numbered in the page.
_LIST = """(attr) => {
  const out = [];
  let n = 0;
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (n >= 20000) return;
      const texts = [];
      if ("value" in el && typeof el.value === "string" && el.tagName !== "BUTTON" && el.tagName !== "OPTION") texts.push(el.value);
      if (el.getAttribute("placeholder")) texts.push(el.getAttribute("placeholder"));
      if (el.getAttribute("value")) texts.push(el.getAttribute("value"));
      let own = "";
      for (const child of el.childNodes) if (child.nodeType === Node.TEXT_NODE) own += child.textContent;
      if (own.trim()) texts.push(own);
      if (el.tagName === "SELECT") for (const o of el.selectedOptions) texts.push(o.label);
      if (texts.length) { el.setAttribute(attr, String(n)); out.push([n, texts]); n++; }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return out;
}"""
_CLEAR = """(attr) => {
  const walk = (root) => {
    for (const el of root.querySelectorAll("[" + attr + "]")) el.removeAttribute(attr);
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
}"""


async def masked_screenshot(page: Page, redactor: Redactor, **options: Any) -> bytes:
    """`page.screenshot(**options)` with password fields, and elements whose value or text holds a secret,
    painted over (Playwright's `mask`)."""
    frames = page.frames
    masks = await asyncio.gather(*(_mask(frame, redactor) for frame in frames))
    try:
        return await page.screenshot(mask=[mask for mask, _ in masks], **options)
    finally:
        await asyncio.gather(*(_clear(frame) for frame, (_, marked) in zip(frames, masks) if marked))


async def _mask(frame: Frame, redactor: Redactor) -> tuple[Locator, bool]:
    """One mask for the frame: its password fields and the elements showing a secret, by their number, so
    Playwright resolves one selector there and the page needs no second call to narrow the marks.
    Also whether the frame's elements were marked (to clear them after the shot)."""
    selectors = ["input[type=password i]"]
    marked = False
    if redactor:
        try:
            listed = await frame.evaluate(_LIST, MASK_ATTRIBUTE)
            marked = True
            selectors += [f'[{MASK_ATTRIBUTE}="{n}"]' for n, texts in listed if any(redactor.found(text) for text in texts)]
        except PlaywrightError:
            pass  # a frame navigating away is not painted; its elements are gone from the shot anyway
    return frame.locator(", ".join(selectors)), marked


async def _clear(frame: Frame) -> None:
    try:
        await frame.evaluate(_CLEAR, MASK_ATTRIBUTE)
    except PlaywrightError:
        pass
