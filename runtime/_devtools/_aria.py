"""`aria/` selectors answered by Chromium's accessibility tree (Accessibility.queryAXTree), as Puppeteer does.

The matches are handed to `query.js` through a per-query registry on the frame's window, so the page
script sees exactly the elements Chromium named, whatever its own notion of accessible names.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from playwright.async_api import CDPSession, Frame
from playwright.async_api import Error as PlaywrightError

__all__ = ["AriaQueries", "parse_aria"]

# Puppeteer's own pattern for `[name="…"]` / `[role="…"]` inside an aria selector.
_ATTRIBUTE = re.compile(r"""\[\s*(?P<attribute>\w+)\s*=\s*(?P<quote>"|')(?P<value>\\.|.*?(?=(?P=quote)))(?P=quote)\s*\]""")
_NOT_ELEMENTS = {"StaticText", "InlineTextBox"}
_GROUP = "encore-aria"
_REGISTER = "function (token) { const all = (window.__encoreAria = window.__encoreAria || {}); (all[token] = all[token] || []).push(this); }"


def parse_aria(selector: str) -> tuple[str | None, str | None]:
    """(accessible name, role) of `Name[role="…"]`, the way Puppeteer's ARIAQueryHandler reads it."""
    found: dict[str, str] = {}

    def take(match: re.Match[str]) -> str:
        if match.group("attribute") not in ("name", "role"):
            raise ValueError(f"unknown aria attribute {match.group('attribute')!r}")
        found[match.group("attribute")] = match.group("value")
        return ""

    rest = _ATTRIBUTE.sub(take, selector)
    return found.get("name") or rest or None, found.get("role")


class _Session:
    """One CDP session and the default execution context of every frame it serves."""

    def __init__(self, cdp: CDPSession) -> None:
        self.cdp = cdp
        self.contexts: set[int] = set()
        self.enabled = False
        cdp.on("Runtime.executionContextCreated", self._created)
        cdp.on("Runtime.executionContextDestroyed", lambda e: self.contexts.discard(e["executionContextId"]))
        cdp.on("Runtime.executionContextsCleared", lambda e: self.contexts.clear())

    def _created(self, event: dict[str, Any]) -> None:
        context = event["context"]
        if context.get("auxData", {}).get("isDefault"):
            self.contexts.add(context["id"])

    async def enable(self) -> None:
        if not self.enabled:
            await self.cdp.send("Runtime.enable")  # reports every existing context before it answers
            self.enabled = True


class AriaQueries:
    """Per replay: CDP sessions (the page's, or an out-of-process frame's own) and where each frame runs."""

    def __init__(self) -> None:
        self._sessions: dict[Any, _Session] = {}
        self._own: dict[Frame, bool] = {}
        self._marks: dict[Frame, tuple[int, str]] = {}

    async def _session(self, frame: Frame) -> _Session:
        if frame not in self._own:
            own = False
            if frame.parent_frame is not None:
                try:
                    self._sessions[frame] = _Session(await frame.page.context.new_cdp_session(frame))
                    own = True
                except PlaywrightError:
                    own = False  # an in-process frame: the page's session serves it
            self._own[frame] = own
        key = frame if self._own[frame] else frame.page
        if key not in self._sessions:
            self._sessions[key] = _Session(await frame.page.context.new_cdp_session(frame.page))
        session = self._sessions[key]
        await session.enable()
        return session

    async def _context(self, session: _Session, frame: Frame) -> int | None:
        """The frame's main-world context: the one that sees the mark this frame's window was given."""
        known = self._marks.get(frame)
        if known is not None and await self._sees(session, known[0], known[1]):
            return known[0]
        mark = secrets.token_hex(8)
        await frame.evaluate("(mark) => { window.__encoreFrame = mark; }", mark)
        for context in sorted(session.contexts):
            if await self._sees(session, context, mark):
                self._marks[frame] = (context, mark)
                return context
        return None

    async def _sees(self, session: _Session, context: int, mark: str) -> bool:
        try:
            answer = await session.cdp.send(
                "Runtime.evaluate", {"expression": "window.__encoreFrame", "contextId": context, "returnByValue": True}
            )
        except PlaywrightError:
            return False
        return answer.get("result", {}).get("value") == mark

    async def register(self, frame: Frame, selectors: dict[int, str]) -> dict[int, str]:
        """Alternative index -> a token under which `window.__encoreAria` holds that aria selector's matches."""
        session = await self._session(frame)
        context = await self._context(session, frame)
        if context is None:
            raise PlaywrightError("the frame's page context is gone")
        cdp = session.cdp
        tokens: dict[int, str] = {}
        try:
            document = await cdp.send(
                "Runtime.evaluate", {"expression": "document", "contextId": context, "objectGroup": _GROUP}
            )
            root = document["result"]["objectId"]
            for index, selector in selectors.items():
                name, role = parse_aria(selector)
                query: dict[str, Any] = {"objectId": root}
                if name is not None:
                    query["accessibleName"] = name
                if role is not None:
                    query["role"] = role
                nodes = (await cdp.send("Accessibility.queryAXTree", query))["nodes"]
                token = tokens[index] = secrets.token_hex(8)
                for node in nodes:
                    role_value = (node.get("role") or {}).get("value")
                    if node.get("ignored") or not role_value or role_value in _NOT_ELEMENTS or "backendDOMNodeId" not in node:
                        continue
                    resolved = await cdp.send(
                        "DOM.resolveNode",
                        {"backendNodeId": node["backendDOMNodeId"], "executionContextId": context, "objectGroup": _GROUP},
                    )
                    await cdp.send(
                        "Runtime.callFunctionOn",
                        {"objectId": resolved["object"]["objectId"], "functionDeclaration": _REGISTER,
                         "arguments": [{"value": token}]},
                    )
        finally:
            try:
                await cdp.send("Runtime.releaseObjectGroup", {"objectGroup": _GROUP})
            except PlaywrightError:
                pass
        return tokens
