"""Ranked, verified selector candidates for one live element, in the spirit of Playwright's generator."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import ElementHandle, Error as PlaywrightError, FrameLocator, Locator, Page

from ._locator import locator_for
from ._model import Candidate, Scope

__all__ = ["MAX_CANDIDATES", "propose", "rank_unique"]

MAX_CANDIDATES = 8
_MAX_SCOPED = 2  # a scoped name and a scoped path say all there is; the rest of the list stays varied
_TEXT_ROLES = {"button", "link", "heading", "tab", "menuitem", "option", "cell", "listitem", "status", "alert"}
_FIELDS = {"input", "textarea", "select"}


def _css_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid CSS string literal


def propose(
    fingerprint: dict[str, Any], structure: dict[str, Any], context: dict[str, Any] | None = None
) -> list[Candidate]:
    """Candidates from most to least robust; uniqueness is checked afterwards.

    Names and texts match exactly (Playwright normalises whitespace): a loose role name would find
    "Unsubscribe" for "Subscribe". In a repeated container (`context`, from js/context.js), candidates
    scoped to the container that holds the recorded text come right after test ids.
    """
    tag, role, name = fingerprint["tag"], fingerprint.get("role"), fingerprint.get("name")
    text, attrs = fingerprint.get("text"), fingerprint.get("attributes", {})
    out: list[Candidate] = []
    if structure.get("testId"):
        out.append(Candidate(strategy="test_id", value=structure["testId"]))
    for attribute, value in structure.get("dataTest", []):
        out.append(Candidate(strategy="css", value=f"[{attribute}={_css_string(value)}]"))
    if context:
        out += _scoped(fingerprint, structure, context)
    if role and name:
        out.append(Candidate(strategy="role", value=role, name=name, exact=True))
    if tag in _FIELDS and structure.get("hasLabel") and name:
        out.append(Candidate(strategy="label", value=name, exact=True))
    if attrs.get("placeholder"):
        out.append(Candidate(strategy="placeholder", value=attrs["placeholder"], exact=True))
    if tag == "img" and attrs.get("alt"):
        out.append(Candidate(strategy="alt", value=attrs["alt"], exact=True))
    if attrs.get("title"):
        out.append(Candidate(strategy="title", value=attrs["title"], exact=True))
    if text and len(text) <= 80 and tag not in _FIELDS and (role in _TEXT_ROLES or not role):
        out.append(Candidate(strategy="text", value=text, exact=True))
    if structure.get("stableId"):
        out.append(Candidate(strategy="css", value=f"#{_css_ident(structure['stableId'])}"))
    if attrs.get("name"):
        out.append(Candidate(strategy="css", value=f"{tag}[name={_css_string(attrs['name'])}]"))
    if tag == "a" and attrs.get("href"):
        out.append(Candidate(strategy="css", value=f"a[href={_css_string(attrs['href'])}]"))
    if role:
        out.append(Candidate(strategy="role", value=role))
    if structure.get("cssPath"):
        out.append(Candidate(strategy="css", value=structure["cssPath"]))
    if structure.get("xpath"):
        out.append(Candidate(strategy="xpath", value=structure["xpath"]))
    if structure.get("cssFull") and structure["cssFull"] != structure.get("cssPath"):
        out.append(Candidate(strategy="css", value=structure["cssFull"]))
    return out


def _scoped(fingerprint: dict[str, Any], structure: dict[str, Any], context: dict[str, Any]) -> list[Candidate]:
    """Candidates inside the container that holds the recorded text: its name, its role, a short CSS path."""
    scope = Scope(strategy=context["scope"]["strategy"], value=context["scope"]["value"], has_text=context["text"])
    tag, role, name = fingerprint["tag"], fingerprint.get("role"), fingerprint.get("name")
    out: list[Candidate] = []
    if role and name:
        out.append(Candidate(strategy="role", value=role, name=name, exact=True, scope=scope))
    if tag in _FIELDS and structure.get("hasLabel") and name:
        out.append(Candidate(strategy="label", value=name, exact=True, scope=scope))
    if role:
        out.append(Candidate(strategy="role", value=role, scope=scope))
    out += [Candidate(strategy="css", value=path, scope=scope) for path in context.get("inner", [])]
    return out


def _css_ident(value: str) -> str:
    # CSS.escape in Python: escape what is not a plain identifier character.
    out = []
    for index, ch in enumerate(value):
        if ch.isalnum() and not (index == 0 and ch.isdigit()) or ch in "-_" or ord(ch) > 127:
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return "".join(out)


async def rank_unique(
    scope: Page | FrameLocator, element: ElementHandle, proposals: list[Candidate]
) -> list[Candidate]:
    """The proposals that find exactly this element and nothing else, best first, without repeats."""
    kept: list[Candidate] = []
    seen: set[str] = set()
    scoped = 0
    for candidate in proposals:
        if candidate.scope is not None and scoped >= _MAX_SCOPED:
            continue
        loc: Locator = locator_for(scope, candidate)
        key = repr(loc)
        if key in seen:
            continue
        seen.add(key)
        try:
            if await loc.count() != 1:
                continue
            if not await loc.evaluate("(el, target) => el === target", element):
                continue
        except PlaywrightError:
            continue  # an invalid selector for this page: not a candidate
        kept.append(candidate)
        scoped += candidate.scope is not None
        if len(kept) >= MAX_CANDIDATES:
            break
    return kept


