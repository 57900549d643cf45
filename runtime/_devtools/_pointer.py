"""Pointer input as @puppeteer/replay sends it: the element's waits, its click point, raw CDP mouse events."""

from __future__ import annotations

import asyncio
from typing import Any

from playwright.async_api import CDPSession, ElementHandle, Frame, Page

__all__ = ["BUTTONS", "MODIFIER_BITS", "Mouse", "aim", "click_point", "ready", "scroll_if_needed"]

# DevTools button name -> (CDP button, its bit in `buttons`).
BUTTONS = {
    "primary": ("left", 1),
    "secondary": ("right", 2),
    "auxiliary": ("middle", 4),
    "back": ("back", 8),
    "forward": ("forward", 16),
}
MODIFIER_BITS = {"Alt": 1, "Control": 2, "Meta": 4, "Shift": 8}

# What a Puppeteer locator waits for before it acts; one of the statuses below, "ok" when ready.
_READY = """async (el, [viewport, stable, enabled]) => {
  if (!el.isConnected) return "detached";
  const target = el instanceof SVGElement && !(el instanceof SVGSVGElement) && el.ownerSVGElement ? el.ownerSVGElement : el;
  const ratio = () => new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => { resolve(entries[0].intersectionRatio); observer.disconnect(); });
    observer.observe(target);
  });
  if (viewport && !((await ratio()) > 0)) {
    el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
    if (!((await ratio()) > 0)) return "outside the viewport";
  }
  if (stable) {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => {
      const r = el.getBoundingClientRect(); resolve([r.x, r.y, r.width, r.height].join());
    }));
    if ((await frame()) !== (await frame())) return "still moving";
  }
  if (enabled && el instanceof HTMLElement && ["BUTTON", "INPUT", "SELECT", "TEXTAREA", "OPTION", "OPTGROUP"].includes(el.nodeName)
      && el.hasAttribute("disabled")) return "disabled";
  return "ok";
}"""

_SCROLL_IF_NEEDED = """async (el) => {
  const target = el instanceof SVGElement && !(el instanceof SVGSVGElement) && el.ownerSVGElement ? el.ownerSVGElement : el;
  const ratio = await new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => { resolve(entries[0].intersectionRatio); observer.disconnect(); });
    observer.observe(target);
  });
  if (ratio !== 1) el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
}"""

# The element's client rects clipped to its frame's viewport (ElementHandle.clickablePoint's boxes).
_BOXES = """(el) => {
  if (!(el instanceof Element)) return null;
  const width = document.documentElement.clientWidth, height = document.documentElement.clientHeight;
  return [...el.getClientRects()].map((r) => {
    const box = { x: r.x, y: r.y, width: r.width, height: r.height };
    box.width = Math.max(box.x >= 0 ? Math.min(width - box.x, box.width) : Math.min(width, box.width + box.x), 0);
    box.height = Math.max(box.y >= 0 ? Math.min(height - box.y, box.height) : Math.min(height, box.height + box.y), 0);
    box.x = Math.max(box.x, 0);
    box.y = Math.max(box.y, 0);
    return box;
  });
}"""

_FRAME_ORIGIN = """(el) => {
  if (el.getClientRects().length === 0) return null;
  const rect = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {
    left: rect.left + parseInt(style.paddingLeft, 10) + parseInt(style.borderLeftWidth, 10),
    top: rect.top + parseInt(style.paddingTop, 10) + parseInt(style.borderTopWidth, 10),
    width: document.documentElement.clientWidth, height: document.documentElement.clientHeight,
  };
}"""

# Encore's own check (Puppeteer has none): the element, or something inside it, is what the point hits.
_HITS = """(el, [x, y]) => {
  let hit = document.elementFromPoint(x, y);
  while (hit && hit.shadowRoot) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (!inner || inner === hit) break;
    hit = inner;
  }
  // Up the flat tree: a slotted node's parent is its slot, a shadow root's is its host.
  for (let n = hit; n; n = n.assignedSlot || n.parentNode || n.host) if (n === el) return null;
  if (!hit) return "nothing";
  const id = hit.id ? "#" + hit.id : "";
  const cls = typeof hit.className === "string" && hit.className.trim() ? "." + hit.className.trim().split(/\\s+/).join(".") : "";
  return "<" + hit.tagName.toLowerCase() + id + cls + ">";
}"""


async def ready(element: ElementHandle, *, viewport: bool = True, stable: bool = True, enabled: bool = False) -> str:
    return await element.evaluate(_READY, [viewport, stable, enabled])


async def scroll_if_needed(element: ElementHandle) -> None:
    await element.evaluate(_SCROLL_IF_NEEDED)


def _clip(box: dict[str, float], width: float, height: float) -> None:
    box["width"] = max(min(width - box["x"], box["width"]) if box["x"] >= 0 else min(width, box["width"] + box["x"]), 0)
    box["height"] = max(min(height - box["y"], box["height"]) if box["y"] >= 0 else min(height, box["height"] + box["y"]), 0)
    box["x"], box["y"] = max(box["x"], 0), max(box["y"], 0)


# The main frame's case in one round trip: scrolled into view if needed, the point, what it hits.
_AIM = (
    "async (el, offset) => { await (" + _SCROLL_IF_NEEDED + ")(el);"
    " const box = ((" + _BOXES + ")(el) || []).find((b) => b.width >= 1 && b.height >= 1);"
    " if (!box) return null;"
    " const [x, y] = offset ? [box.x + offset[0], box.y + offset[1]] : [box.x + box.width / 2, box.y + box.height / 2];"
    " return { x, y, other: (" + _HITS + ")(el, [x, y]) }; }"
)


async def aim(element: ElementHandle, frame: Frame, offset: tuple[float, float] | None) -> tuple[float, float, str | None]:
    """Scrolls the element into view if needed, then `click_point`."""
    if frame.parent_frame is None:
        found = await element.evaluate(_AIM, list(offset) if offset else None)
        if found is None:
            raise ValueError("no part of the element is inside the viewport")
        return found["x"], found["y"], found["other"]
    await scroll_if_needed(element)
    return await click_point(element, frame, offset)


async def click_point(
    element: ElementHandle, frame: Frame, offset: tuple[float, float] | None
) -> tuple[float, float, str | None]:
    """(x, y) in the page's viewport, as ElementHandle.clickablePoint computes it, and what else the point hits."""
    boxes: list[dict[str, float]] | None = await element.evaluate(_BOXES)
    if not boxes:
        raise ValueError("the element has no layout box")
    shift_x = shift_y = 0.0
    current = frame
    while current.parent_frame is not None:
        owner = await current.frame_element()
        origin = await owner.evaluate(_FRAME_ORIGIN)
        if origin is None:
            raise ValueError("the element's frame is not displayed")
        shift_x, shift_y = shift_x + origin["left"], shift_y + origin["top"]
        for box in boxes:
            box["x"] += origin["left"]
            box["y"] += origin["top"]
            _clip(box, origin["width"], origin["height"])
        current = current.parent_frame
    box = next((b for b in boxes if b["width"] >= 1 and b["height"] >= 1), None)
    if box is None:
        raise ValueError("no part of the element is inside the viewport")
    if offset is None:
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    else:
        x, y = box["x"] + offset[0], box["y"] + offset[1]
    other = await element.evaluate(_HITS, [x - shift_x, y - shift_y])
    return x, y, other


class Mouse:
    """Raw mouse events on one page through CDP, exactly as Puppeteer's mouse sends them."""

    def __init__(self, session: CDPSession) -> None:
        self.session = session
        self.x = 0.0
        self.y = 0.0
        self.buttons = 0

    async def _send(self, kind: str, button: str, modifiers: int, **extra: Any) -> None:
        await self.session.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": self.x, "y": self.y, "button": button, "buttons": self.buttons,
             "modifiers": modifiers, **extra},
        )

    async def move(self, x: float, y: float, modifiers: int) -> None:
        self.x, self.y = x, y
        pressed = next((name for name, bit in BUTTONS.values() if self.buttons & bit), "none")
        await self._send("mouseMoved", pressed, modifiers)

    async def click(self, x: float, y: float, *, button: str, count: int, delay_ms: float | None, modifiers: int) -> None:
        name, bit = BUTTONS[button]
        await self.move(x, y, modifiers)
        for index in range(1, count + 1):
            self.buttons |= bit
            await self._send("mousePressed", name, modifiers, clickCount=index)
            if index == count and delay_ms:
                await asyncio.sleep(delay_ms / 1000)
            self.buttons &= ~bit
            await self._send("mouseReleased", name, modifiers, clickCount=index)


async def cdp_session(page: Page) -> CDPSession:
    return await page.context.new_cdp_session(page)
