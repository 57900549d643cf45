"""Page mutations: the same site with changed markup, the way real sites drift between runs.

Each mutation rewrites the HTML of every page it touches; markers such as `<!--login-button-->`
in the pages delimit the elements that can be removed or duplicated.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["MUTATIONS", "apply_mutations"]

Mutation = Callable[[str, str], str]


def _between(name: str, html: str) -> str:
    match = re.search(rf"<!--{name}-->(.*?)<!--/{name}-->", html, re.DOTALL)
    return match.group(1) if match else ""


def _remove(name: str, html: str) -> str:
    return re.sub(rf"<!--{name}-->.*?<!--/{name}-->", "", html, flags=re.DOTALL)


def renamed_ids(path: str, html: str) -> str:
    return re.sub(r'\b(id|for)="([^"]+)"', r'\1="v2-\2"', html)


_LABELS = {
    "E-mail <input": "Email address <input",
    ">Sign in</button>": ">Log in</button>",
    "Product <input": "Item <input",
    "> Gift wrap</label>": "> Wrap as a gift</label>",
    ">Subscribe</button>": ">Sign up</button>",
}


def changed_labels(path: str, html: str) -> str:
    for old, new in _LABELS.items():
        html = html.replace(old, new)
    return html


def removed_element(path: str, html: str) -> str:
    for name in ("login-button", "gift", "subscribe"):
        html = _remove(name, html)
    return html


def duplicated_button(path: str, html: str) -> str:
    """Another button with the same text elsewhere on the page (a header shortcut)."""
    header = '<header><button type="button" id="header-signin">Sign in</button></header>'
    html = html.replace("<!--header-->", header)
    return html.replace("<!--/subscribe-->", '<!--/subscribe--><button type="button">Subscribe</button>')


def cloned_button(path: str, html: str) -> str:
    """An exact copy of the button, id included: nothing can tell the two apart."""
    clone = _between("login-button", html)
    return html.replace("<!--header-->", f"<header>{clone}</header>") if clone else html


def decoy_link(path: str, html: str) -> str:
    """The button is gone and a link with the same text stands elsewhere."""
    html = _remove("login-button", html)
    return html.replace("<!--header-->", '<header><a href="/settings">Sign in</a></header>')


def changed_classes(path: str, html: str) -> str:
    return re.sub(r'\bclass="([^"]+)"', lambda m: 'class="' + " ".join("v2-" + c for c in m.group(1).split()) + '"', html)


def moved_element(path: str, html: str) -> str:
    """The submit button moves into a new wrapper below the form; the gift box moves after shipping."""
    button = _between("login-button", html)
    if button:
        html = _remove("login-button", html)
        wrapper = f'<div class="actions"><p>Ready?</p><!--login-button-->{button}<!--/login-button--></div>'
        html = html.replace("</form>", "</form>", 1).replace("  </form>", "  " + wrapper + "\n  </form>", 1)
    gift = _between("gift", html)
    if gift:
        html = _remove("gift", html).replace("</fieldset>", f"</fieldset>\n    <div><!--gift-->{gift}<!--/gift--></div>", 1)
    return html


def option_order(path: str, html: str) -> str:
    options = _between("options", html)
    if not options:
        return html
    lines = [line for line in options.strip().splitlines()]
    return html.replace(options, "\n        " + "\n        ".join(reversed([l.strip() for l in lines])) + "\n      ")


def custom_widget(path: str, html: str) -> str:
    """The notes textarea becomes a contenteditable widget that a script copies into the form."""
    widget = (
        '<div><span id="notes-label">Notes</span> <div id="notes" role="textbox" contenteditable="true" '
        'aria-labelledby="notes-label" style="min-height:2em;border:1px solid #999"></div>'
        '<input type="hidden" name="notes"></div>'
    )
    html = re.sub(r"<!--notes-->.*?<!--/notes-->", widget, html, flags=re.DOTALL)
    sync = (
        "<script>document.getElementById('order-form')?.addEventListener('submit', (e) => {"
        " e.target.elements.notes.value = document.getElementById('notes').innerText; });</script>"
    )
    return html.replace("</body>", sync + "</body>") if "order-form" in html else html


def redesigned_login(path: str, html: str) -> str:
    """The sign-in button is redone as an input with a new id and words, beside a new button.

    No recorded selector survives and nothing left looks enough like the recording to be trusted.
    """
    controls = (
        '<div class="form-footer"><button type="button" id="show-password">Show password</button>'
        '<input type="submit" id="submit-credentials" value="Continue"></div>'
    )
    return re.sub(r"<!--login-button-->.*?<!--/login-button-->", controls, html, flags=re.DOTALL)


def terms_interstitial(path: str, html: str) -> str:
    """Signing in now lands on a "new terms" page first; the server does the redirect, the markup is as it was."""
    return html


MUTATIONS: dict[str, Mutation] = {
    "changed_classes": changed_classes,
    "moved_element": moved_element,
    "option_order": option_order,
    "custom_widget": custom_widget,
    "renamed_ids": renamed_ids,
    "changed_labels": changed_labels,
    "removed_element": removed_element,
    "duplicated_button": duplicated_button,
    "cloned_button": cloned_button,
    "decoy_link": decoy_link,
    "redesigned_login": redesigned_login,
    "terms_interstitial": terms_interstitial,
}


def apply_mutations(names: tuple[str, ...], path: str, html: str) -> str:
    for name in names:
        html = MUTATIONS[name](path, html)
    return html
