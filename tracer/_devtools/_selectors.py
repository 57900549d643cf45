"""DevTools selectors: which kinds Encore replays with @puppeteer/replay's semantics, and a readable label."""

from __future__ import annotations

import re

from ._fields import Refusal

__all__ = ["ARIA_ATTRIBUTE", "check_selectors", "label", "selector_kind"]

PREFIXES = ("aria", "text", "xpath", "pierce")
# Puppeteer's own pattern for `[name="…"]` / `[role="…"]` inside an aria selector.
ARIA_ATTRIBUTE = re.compile(r"""\[\s*(?P<attribute>\w+)\s*=\s*(?P<quote>"|')(?P<value>\\.|.*?(?=(?P=quote)))(?P=quote)\s*\]""")
# Puppeteer-only CSS extensions (P-selectors): another engine would read them differently.
_P_SELECTOR = re.compile(r"::-p-|>>>")


def selector_kind(part: str) -> str:
    for prefix in PREFIXES:
        if part.startswith(prefix + "/"):
            return prefix
    return "css"


def _aria(value: str) -> tuple[str, str | None]:
    found: dict[str, str] = {}

    def take(match: re.Match[str]) -> str:
        attribute = match.group("attribute")
        if attribute not in ("name", "role"):
            raise Refusal(f"aria selector attribute {attribute!r} is unknown to @puppeteer/replay (only name, role)")
        found[attribute] = match.group("value")
        return ""

    rest = ARIA_ATTRIBUTE.sub(take, value)
    return found.get("name") or rest, found.get("role")


def check_selectors(selectors: tuple[tuple[str, ...], ...]) -> None:
    """Refuse what Encore cannot replay exactly; every position is named."""
    for position, parts in enumerate(selectors):
        for index, part in enumerate(parts):
            where = f"selectors[{position}]" + (f"[{index}]" if len(parts) > 1 else "")
            kind = selector_kind(part)
            body = part[len(kind) + 1 :] if kind != "css" else part
            if kind == "css" and _P_SELECTOR.search(part):
                raise Refusal(f"{where} {part!r} uses Puppeteer's ::-p- / >>> selector syntax, which Encore does not replay")
            if not body.strip():
                raise Refusal(f"{where} {part!r} is empty")
            if index > 0 and kind in ("aria", "pierce"):
                # Puppeteer answers a later aria/ part from the accessibility subtree of a shadow root, which
                # it does for some shadow roots and not others; a later pierce/ is no selector the Recorder writes.
                raise Refusal(f"{where} {part!r}: {kind}/ is replayed only as the first part of a selector")
            if kind == "aria":
                try:
                    name, role = _aria(body)
                except Refusal as exc:
                    raise Refusal(f"{where}: {exc}") from None
                if not name and not role:
                    raise Refusal(f"{where} {part!r} names no accessible name or role")


def label(selectors: tuple[tuple[str, ...], ...]) -> str:
    """A short human name for the element, for the step's intention: its accessible name or text if any."""
    for wanted in ("aria", "text"):
        for parts in selectors:
            last = parts[-1]
            if selector_kind(last) == wanted:
                body = last[len(wanted) + 1 :]
                name = _aria(body)[0] if wanted == "aria" else body
                if name.strip():
                    return f'"{" ".join(name.split())[:60]}"'
    return " ".join(selectors[0])[:80]
