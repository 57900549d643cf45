"""Ranked, verified selector candidates for one live element, in the spirit of Playwright's generator."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import ElementHandle, FrameLocator, Locator, Page
from playwright.async_api import Error as PlaywrightError

from ._locator import locator_for
from ._model import Candidate, Scope

__all__ = ["MAX_CANDIDATES", "lean", "propose", "rank_unique", "with_classes"]

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




# --- lean, stable candidates (issue 12) ----------------------------------------------------------
# Semantic class candidates come before the positional paths; once the unique candidates are known,
# those that add nothing go: an XPath beside a CSS path, a role with no name, a positional path when a
# stable selector exists, a second class selector. What is left reads like what a careful person writes.


def with_classes(proposals: list[Candidate], fingerprint: dict[str, Any], structure: dict[str, Any]) -> list[Candidate]:
    """The proposals with class-based candidates (`li.success`, `.messagelist li.success`) placed
    before the positional ones."""
    extra = _class_candidates(fingerprint["tag"], structure)
    positional = _positional_values(structure)
    at = next(
        (i for i, c in enumerate(proposals) if c.value in positional or (c.strategy == "role" and c.name is None)),
        len(proposals),
    )
    return proposals[:at] + extra + proposals[at:]


def lean(kept: list[Candidate], fingerprint: dict[str, Any], structure: dict[str, Any]) -> list[Candidate]:
    """The verified candidates without those that add nothing beside the others."""
    positional = _positional_values(structure)
    classes = {c.value for c in _class_candidates(fingerprint["tag"], structure)}

    def is_positional(c: Candidate) -> bool:
        return c.strategy == "xpath" or (c.strategy == "css" and c.value in positional)

    # What a person would look for: a test id, a name, a label, a text. Beside one of those and a stable
    # selector, a bare role or a position adds nothing; without, they are the fallback that survives a
    # renamed id.
    semantic = any(c.strategy != "css" and c.strategy != "xpath" and not (c.strategy == "role" and c.name is None) for c in kept)
    stable_css = any(c.strategy == "css" and not is_positional(c) for c in kept)
    out: list[Candidate] = []
    path_kept = class_kept = False
    for c in kept:
        if c.strategy == "css" and c.value in classes:
            if class_kept:
                continue  # one class selector says what the others would
            class_kept = True
        if c.strategy == "role" and c.name is None and semantic and c.scope is None:
            continue  # "the only button" holds until a release adds a second one; in its row it is the row's
        if is_positional(c):
            if (stable_css and semantic) or path_kept:
                continue
            if c.strategy == "xpath" and any(k.strategy == "css" and k.value in positional for k in kept):
                continue  # the CSS path says the same thing, more readably
            path_kept = True
        out.append(c)
    return out


def _class_candidates(tag: str, structure: dict[str, Any]) -> list[Candidate]:
    """`tag.class`, then `.context tag.class`, then `.context tag`; the first unique one is kept."""
    classes = [c for c in structure.get("classes") or [] if _is_class(c)]
    context = structure.get("contextClass")
    context = context if context and _is_class(context) else None
    out = [Candidate(strategy="css", value=f"{tag}.{c}") for c in classes]
    if context:
        out += [Candidate(strategy="css", value=f".{context} {tag}.{c}") for c in classes]
        if not structure.get("isItem"):  # `.messagelist li` would be any item of the list
            out.append(Candidate(strategy="css", value=f".{context} {tag}"))
    return out


def _positional_values(structure: dict[str, Any]) -> set[str]:
    """The structural paths; a path that is only the element's own `#id` is an id, not a position."""
    paths = (structure.get("cssPath"), structure.get("cssFull"), structure.get("xpath"))
    return {v for v in paths if v and (" " in v or v.startswith("/"))}


def _is_class(name: str) -> bool:
    # describe.js filtered already; this keeps the selector a plain `.name` whatever a page sends back.
    return bool(name) and name[0].isalpha() and all(ch.isalnum() or ch in "-_" for ch in name)
