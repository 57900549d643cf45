"""Screenshots that cannot show a secret: password fields and every element showing a secret are masked.

Which elements show a secret is decided here, in Python, from what the page reports; the secrets are
never sent into the page (a page's own scripts can read what an evaluation is given, and a replay may be
on a site the secret does not belong to).
"""

from __future__ import annotations

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
# Keep the mark on the chosen elements only; the others lose theirs.
_KEEP = """([attr, keep]) => {
  const wanted = new Set(keep.map(String));
  const walk = (root) => {
    for (const el of root.querySelectorAll("[" + attr + "]")) {
      if (!wanted.has(el.getAttribute(attr))) el.removeAttribute(attr);
    }
    for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
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
    masks: list[Locator] = []
    marked: list[Frame] = []
    for frame in page.frames:
        masks.append(frame.locator("input[type=password i]"))
        if not redactor:
            continue
        try:
            listed = await frame.evaluate(_LIST, MASK_ATTRIBUTE)
            marked.append(frame)
            keep = [n for n, texts in listed if any(redactor.found(text) for text in texts)]
            await frame.evaluate(_KEEP, [MASK_ATTRIBUTE, keep])
        except PlaywrightError:
            continue  # a frame navigating away is not painted; its elements are gone from the shot anyway
        if keep:
            masks.append(frame.locator(f"[{MASK_ATTRIBUTE}]"))
    try:
        return await page.screenshot(mask=masks, **options)
    finally:
        for frame in marked:
            try:
                await frame.evaluate(_CLEAR, MASK_ATTRIBUTE)
            except PlaywrightError:
                pass
