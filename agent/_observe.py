"""Observation: the page as the model sees it, a numbered list of controls and texts across frames."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from playwright.async_api import ElementHandle, Frame, Page
from playwright.async_api import Error as PlaywrightError

from runtime import masked_screenshot
from tracer import Redactor, page_script

__all__ = ["Element", "Observation", "observe"]

_SHOWN_ATTRIBUTES = ("id", "name", "type", "placeholder", "href", "title", "alt")


@cache
def _observe_script() -> str:
    source = files("agent").joinpath("js", "observe.js").read_text(encoding="utf-8")
    return f"(limit) => {{ const describe = {page_script('fingerprint')}; return ({source})(limit); }}"


@dataclass
class Element:
    """One numbered element of an observation: its handle and what the model is told about it."""

    number: int
    handle: ElementHandle
    info: dict[str, Any]
    frame: str = ""  # "" for the main document, else the frame's title or URL

    def line(self) -> str:
        """The element as one numbered line of the observation the model reads."""
        info = self.info
        if info["kind"] in ("text", "row"):
            return f"[{self.number}] {info['kind']} {json.dumps(info['text'], ensure_ascii=False)}"
        role = info.get("role") or info["tag"]
        parts = [f"[{self.number}] {role}"]
        if info.get("name"):
            parts.append(json.dumps(info["name"], ensure_ascii=False))
        elif info.get("text"):
            parts.append(json.dumps(info["text"], ensure_ascii=False))
        if info.get("value") not in (None, ""):
            parts.append(f"value={json.dumps(info['value'], ensure_ascii=False)}")
        if info.get("options"):
            parts.append(f"options={json.dumps(info['options'], ensure_ascii=False)}")
        parts.extend(info.get("state") or [])
        attrs = info.get("attributes") or {}
        for key in _SHOWN_ATTRIBUTES:
            if key in attrs and attrs[key] != info.get("name"):
                parts.append(f"{key}={json.dumps(attrs[key][:80], ensure_ascii=False)}")
        return " ".join(parts)


@dataclass
class Observation:
    """The page as the model sees it: URL, title, numbered elements in DOM order, maybe a screenshot."""

    url: str
    title: str
    elements: list[Element] = field(default_factory=list)
    truncated: bool = False
    screenshot: bytes | None = None

    def element(self, number: int) -> Element:
        """The element with this number (KeyError when there is none)."""
        if not 1 <= number <= len(self.elements):
            raise KeyError(number)
        return self.elements[number - 1]

    def numbers(self) -> set[int]:
        """Every element number in the observation."""
        return {e.number for e in self.elements}

    def controls(self) -> set[int]:
        """The numbers of elements one can act on (not plain text)."""
        return {e.number for e in self.elements if e.info["kind"] == "control"}

    def render(self) -> str:
        """The observation as the text the model reads: URL, title, numbered elements."""
        lines = [f"URL: {self.url}", f"Title: {self.title}", "Elements:"]
        current = ""
        for element in self.elements:
            if element.frame != current:
                current = element.frame
                lines.append(f"-- inside frame {json.dumps(current, ensure_ascii=False)} --" if current else "-- main page --")
            lines.append(element.line())
        if not self.elements:
            lines.append("(nothing visible)")
        if self.truncated:
            lines.append("(list truncated: scroll or narrow down to see more)")
        return "\n".join(lines)

    def screenshot_url(self) -> str | None:
        """The screenshot as a data: URL, when one was taken."""
        if self.screenshot is None:
            return None
        return "data:image/jpeg;base64," + base64.b64encode(self.screenshot).decode("ascii")


async def observe(
    page: Page, *, limit: int = 400, screenshot: bool = False, redactor: Redactor | None = None
) -> Observation:
    """Everything visible, main document first, then each frame (depth first), numbered from 1.

    With `redactor`, what the page shows is redacted as it is read (a field holding exactly a secret, weak or
    not, shows `[secret:<name>]`), and the screenshot masks password fields and every element showing a secret.
    """
    redactor = redactor or Redactor({})
    observation = Observation(url=redactor.url(page.url, "[secret]"), title=redactor.text(await _title(page)))
    for frame, label in await _frames(page):
        remaining = limit - len(observation.elements)
        if remaining <= 0:
            observation.truncated = True
            break
        try:
            result = await frame.evaluate_handle(_observe_script(), remaining)
            info = await (await result.get_property("info")).json_value()
            truncated = await (await result.get_property("truncated")).json_value()
            handles = await (await result.get_property("elements")).get_properties()
        except PlaywrightError:
            continue  # a frame navigating away mid-observation is simply not listed this time
        observation.truncated = observation.truncated or bool(truncated)
        for index, item in enumerate(info):
            handle = handles[str(index)].as_element()
            if handle is None:
                continue
            number = len(observation.elements) + 1
            info = redactor.data(item, keep=frozenset({"kind", "tag", "role", "state"}))
            observation.elements.append(Element(number=number, handle=handle, info=info, frame=redactor.text(label)))
    if screenshot:
        observation.screenshot = await masked_screenshot(page, redactor, type="jpeg", quality=60)
    return observation


async def _title(page: Page) -> str:
    try:
        return await page.title()
    except PlaywrightError:
        return ""


async def _frames(page: Page) -> list[tuple[Frame, str]]:
    out: list[tuple[Frame, str]] = []

    async def walk(frame: Frame, label: str) -> None:
        out.append((frame, label))
        for child in frame.child_frames:
            try:
                owner = await child.frame_element()
                if not await owner.is_visible():
                    continue
                title = await owner.get_attribute("title") or await owner.get_attribute("name") or child.url
            except PlaywrightError:
                continue
            await walk(child, f"{label} > {title}" if label else title)

    await walk(page.main_frame, "")
    return out
