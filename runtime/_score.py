"""How close a live element is to the recorded fingerprint, and what rules it out whatever the score.

A verdict has two parts. The *score* is a weighted mean, in [0, 1], over the features the recording
has (a feature the recording lacks is left out; one the live element lacks counts 0):

    feature      weight  similarity                                   why this weight
    tag          1.0     equal or not                                 cheap, but a release may swap
                                                                      <a> for <button>: weak evidence
    role         1.5     equal or not                                 what the element is to a user;
                                                                      survives restyling, rarely changes
    name         2.0     labels: equal or not (and a veto, below);    the words a user acts on are the
                         content: word-sequence similarity            best single clue
    text         1.0     word-sequence similarity, skipped when it    content often changes between
                         only repeats the name                        runs (counts, dates)
    identity     1.0-3.0 share s of the recorded identity attributes  id, name, for, data-testid and
                         (id, name, for, data-test*, href path, form) the like are chosen by developers
                         that the live element has, equal; weighs     to identify: agreeing, they are
                         1 + 2·c, c the share that agrees or is a     strong evidence; a renamed id is
                         contract attribute (a field's name, a        weak evidence against (frameworks
                         link's path) the live element has with       rename ids), but a field name or a
                         another value                                link path is the contract with the
                                                                      server: another one is as strong
                                                                      against as the same one is for
                                                                      (Roundup's "Create New" keyword
                                                                      link, Django's app link "Flat
                                                                      Pages" scored 0.75-0.85 before)
    attributes   1.0     share of the other recorded stable           type, placeholder, title, alt,
                         attributes the live element has, equal       aria-label: descriptive, not
                                                                      identifying
    ancestors    1.0     word-sequence similarity of the nearest-     layout moves elements between
                         first ancestor summaries                     releases: a weak hint

Attributes a new release adds never count (only recorded keys are compared), and state attributes
(aria-expanded, aria-checked, aria-describedby, ...) are not compared at all: they change while the
page is used. An `href` is compared by its path, with numeric path segments (record ids) set aside:
which record is meant is the context's job, below. A form is the same when its method and action path
agree (ids aside again) and at least half of the field names it sends do (Jaccard): the fields are its
contract with the server, so a look-alike form (a quick-order box, a partner sign-up) sends others.

Word-sequence similarity is 2·LCS/(|a|+|b|) over whitespace-separated, lower-cased words (over the
summaries, for ancestors): the same in Python and in the page (`runtime/js/verify.js`), so the
runtime can verify inside Playwright's own element resolution.

A *mismatch* rules the element out whatever its score:
- a form field (input, select, textarea; not a button) that sends another `name` than the recorded one: Roundup's
  unlabelled priority and status selects share their row, form, tag and role, and the name the server
  reads is all that tells them apart (no field kept its place under another name in the real releases);
- a labelled element (button, link, field, checkbox, heading, ...) whose accessible name differs from
  the recorded one (whitespace- and case-normalised): "Unsubscribe" is not "Subscribe" (unless the
  recorded words are still the element's text, placeholder, title, aria-label or alt);
- a recorded form that posts (method, action path, field names) the element no longer belongs to (a
  GET form, a search or a filter, only weighs in the score);
- a recorded context (the text that told its table row, list item or card from its siblings) that the
  element's container no longer holds: the Cancel button of order 1001 is not that of order 1002;
- a name or context recorded from data typed during the recording (`Fingerprint.stale`): matching it
  would only prove that the recording's own data is still there.

An element is accepted when nothing rules it out and the score reaches `Options.min_score` (0.7).
`tests/runtime/test_score_calibration.py` measures both on pairs of elements taken from pages of real
applications before and after a release (same element) and from their siblings and decoys (different
elements), and on pairs kept from the real-application suite (`tests/runtime/calibration/realapps.json`,
made by `python -m bench.realapps.pairs`: Django admin, Roundup and Wagtail, each in two releases);
`python -m bench.score_calibration` prints the figures and a threshold sweep. Every same
element scored 0.74 or more there; 0.7 also rejects look-alikes that old fingerprints (recorded
without form or container) let through at 0.6-0.7, such as a header "Sign in" button of type button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from tracer import Fingerprint

__all__ = ["BUTTON_TYPES", "CONTRACT", "FIELD_TAGS", "IDENTITY", "LABELLED_ROLES", "NAMING", "VOLATILE", "WEIGHTS", "Verdict", "mismatch", "score", "similarity", "verdict"]

WEIGHTS = {"tag": 1.0, "role": 1.5, "name": 2.0, "text": 1.0, "identity": 3.0, "attributes": 1.0, "ancestors": 1.0}
"""The weight of each fingerprint feature in `score` (`identity` at full agreement; see the table above)."""

# Attributes developers choose to identify an element; `form` is the fingerprint's own field.
IDENTITY = ("id", "name", "for", "data-testid", "data-test", "data-test-id", "data-qa", "data-cy", "href")
# State, not identity: these change while the page is used.
VOLATILE = (
    "aria-expanded", "aria-selected", "aria-checked", "aria-pressed", "aria-busy", "aria-hidden",
    "aria-invalid", "aria-current", "aria-activedescendant", "aria-describedby", "aria-controls",
    "aria-owns", "aria-labelledby", "aria-valuenow", "aria-valuetext", "aria-disabled", "aria-live",
)
# Roles whose accessible name is a label a user acts on (so a different name is another element);
# elements of other roles (cells, list items, status lines) are named by their content, which changes.
LABELLED_ROLES = frozenset({
    "button", "link", "menuitem", "menuitemcheckbox", "menuitemradio", "tab", "option", "checkbox", "radio",
    "switch", "textbox", "searchbox", "combobox", "listbox", "spinbutton", "slider", "heading", "img",
    "dialog", "alertdialog", "treeitem",
})
_LABELLED_TAGS = frozenset({"input", "select", "textarea", "button", "a", "summary"})
NAMING = ("placeholder", "title", "aria-label", "alt")
_ID_SEGMENT = re.compile(r"\d+")
# Identity attributes that are a contract with the server, not a developer's handle: the field name a
# form sends, the path a link leads to. Frameworks regenerate ids; they do not rename what the server
# reads or serves without changing the feature. Present with another value, they weigh as much as
# agreeing ones (a renamed `id` still weighs only 1: frameworks rename ids).
CONTRACT = ("name", "href")
FIELD_TAGS = frozenset({"input", "select", "textarea"})
BUTTON_TYPES = frozenset({"submit", "button", "reset", "image"})


def _words(text: str | None) -> list[str]:
    return " ".join((text or "").split()).lower().split()


def _norm(text: str | None) -> str:
    return " ".join(_words(text))


def _lcs_ratio(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return 2 * previous[-1] / (len(a) + len(b))


def similarity(a: str | None, b: str | None) -> float:
    """Word-sequence similarity of two texts, case and whitespace aside."""
    return _lcs_ratio(_words(a), _words(b))


def _path(url: str) -> str:
    path = urlsplit(url).path.rstrip("/") or "/"
    return "/".join("*" if _ID_SEGMENT.fullmatch(segment) else segment for segment in path.split("/"))


def _same_form(recorded: str, live: str | None) -> bool:
    """Same method and action path (record ids aside), and mostly the same field names (Jaccard >= 1/2)."""
    if not live:
        return False
    method, path, fields = _form_parts(recorded)
    live_method, live_path, live_fields = _form_parts(live)
    if (method, path) != (live_method, live_path):
        return False
    union = fields | live_fields
    return not union or 2 * len(fields & live_fields) >= len(union)


def _changes_data(form: str) -> bool:
    """A form that posts: acting in a look-alike one changes something else. A GET form (a search, a
    filter) only asks, and releases move and widen them (Wagtail 6 sends its search to /results/ with
    filters beside `q`): for those the form is evidence in the score, not a veto."""
    return _form_parts(form)[0] != "get"


def _form_parts(form: str) -> tuple[str, str, frozenset[str]]:
    method, _, rest = form.partition(" ")
    action, _, names = rest.partition(" ")
    return method.lower(), _path(action), frozenset(n for n in names.split(",") if n)


def _same_attribute(key: str, recorded: str, live: str | None) -> bool:
    if live is None:
        return False
    return _path(recorded) == _path(live) if key == "href" else recorded == live


def _contradicts(key: str, recorded: str, live: str | None) -> bool:
    """A contract attribute (`CONTRACT`) the live element has with another value: strong evidence against."""
    return key in CONTRACT and live is not None and not _same_attribute(key, recorded, live)


def _other_field(recorded: Fingerprint, live: dict[str, Any]) -> str | None:
    """The `name` a live form field sends, when it is not the recorded one's."""
    if recorded.tag not in FIELD_TAGS or "name" not in recorded.attributes:
        return None
    if recorded.attributes.get("type") in BUTTON_TYPES:
        return None  # a button's name is sent only when it is pressed; its label tells it (MediaWiki 1.39 lower-cased one)
    sent = (live.get("attributes") or {}).get("name")
    return sent if sent is not None and sent != recorded.attributes["name"] else None


def _still_shows(words: str, live: dict[str, Any]) -> bool:
    """The recorded name is still the element's own text or a naming attribute of it.

    A release that adds a <label> to a field named by its placeholder changes the accessible name,
    not the words the user sees next to it.
    """
    want = _norm(words)
    attributes = live.get("attributes") or {}
    return want == _norm(live.get("text")) or any(want == _norm(attributes.get(k)) for k in NAMING)


def labelled_tags() -> frozenset[str]:
    """Tags whose name is a label when the element has no role (a password field, a select)."""
    return _LABELLED_TAGS


def is_labelled(fingerprint: Fingerprint) -> bool:
    if fingerprint.role is not None:
        return fingerprint.role in LABELLED_ROLES
    return fingerprint.tag in _LABELLED_TAGS


def score(recorded: Fingerprint, live: dict[str, Any]) -> float:
    """The weighted similarity (0..1) of a live element to a recorded fingerprint (see the table above)."""
    parts: list[tuple[float, float]] = [(WEIGHTS["tag"], float(recorded.tag == live.get("tag")))]
    if recorded.role:
        parts.append((WEIGHTS["role"], float(recorded.role == live.get("role"))))
    stale = recorded.stale or ()
    if recorded.name and "name" not in stale:
        if is_labelled(recorded):
            shown = _norm(recorded.name) == _norm(live.get("name")) or _still_shows(recorded.name, live)
            parts.append((WEIGHTS["name"], float(shown)))
        else:
            parts.append((WEIGHTS["name"], similarity(recorded.name, live.get("name"))))
    if recorded.text and "text" not in stale and _norm(recorded.text) != _norm(recorded.name):
        parts.append((WEIGHTS["text"], similarity(recorded.text, live.get("text"))))
    live_attrs: dict[str, str] = live.get("attributes") or {}
    identity = [k for k in IDENTITY if k in recorded.attributes]
    same_identity = sum(_same_attribute(k, recorded.attributes[k], live_attrs.get(k)) for k in identity)
    contradicted = sum(_contradicts(k, recorded.attributes[k], live_attrs.get(k)) for k in identity)
    if recorded.form:
        identity.append("form")
        same_identity += _same_form(recorded.form, live.get("form"))
    if identity:
        share = same_identity / len(identity)
        certain = (same_identity + contradicted) / len(identity)
        parts.append((1.0 + (WEIGHTS["identity"] - 1.0) * certain, share))
    others = [k for k in recorded.attributes if k not in IDENTITY and k not in VOLATILE]
    if others:
        same = sum(recorded.attributes[k] == live_attrs.get(k) for k in others)
        parts.append((WEIGHTS["attributes"], same / len(others)))
    if recorded.ancestors:
        ratio = _lcs_ratio(list(recorded.ancestors), list(live.get("ancestors") or []))
        parts.append((WEIGHTS["ancestors"], ratio))
    total = sum(w for w, _ in parts)
    return round(sum(w * s for w, s in parts) / total, 4)


def mismatch(recorded: Fingerprint, live: dict[str, Any]) -> str | None:
    """Why the live element cannot be the recorded one whatever its score, or None."""
    labelled = is_labelled(recorded)
    stale = recorded.stale or ()
    if recorded.name and labelled:
        if "name" in stale:
            return f"it was recorded by a name holding data typed during the recording ({recorded.name!r})"
        if _norm(recorded.name) != _norm(live.get("name")) and not _still_shows(recorded.name, live):
            return f"its name is {live.get('name')!r}, recorded {recorded.name!r}"
    sent = _other_field(recorded, live)
    if sent is not None:
        return f"it is the form field {sent!r}, recorded {recorded.attributes['name']!r}"
    if recorded.form and _changes_data(recorded.form) and not _same_form(recorded.form, live.get("form")):
        where = f"form {live['form']!r}" if live.get("form") else "no form"
        return f"it belongs to {where}, recorded in form {recorded.form!r}"
    if recorded.context is not None:
        if "context" in stale:
            return f"its container was told apart by data typed during the recording ({recorded.context.text!r})"
        found = live.get("context")
        if isinstance(found, dict) and not found.get("ok"):
            held = found.get("text")
            return f"its container holds {held!r}, not {recorded.context.text!r}" if held else (
                f"it is not in a container holding {recorded.context.text!r}"
            )
    return None


@dataclass(frozen=True)
class Verdict:
    score: float
    mismatch: str | None
    """Why the element is ruled out whatever the score, or None."""

    def accepted(self, min_score: float) -> bool:
        return self.mismatch is None and self.score >= min_score


def verdict(recorded: Fingerprint, live: dict[str, Any]) -> Verdict:
    """The score and the mismatch, if any; `live["context"]` is what the page found for the recorded context."""
    return Verdict(score(recorded, live), mismatch(recorded, live))
