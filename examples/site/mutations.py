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
    match = re.search(rf"<!--{name}-->(.*?)<!--/{name}-->", html, re.S)
    return match.group(1) if match else ""


def _remove(name: str, html: str) -> str:
    return re.sub(rf"<!--{name}-->.*?<!--/{name}-->", "", html, flags=re.S)


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


MUTATIONS: dict[str, Mutation] = {
    "renamed_ids": renamed_ids,
    "changed_labels": changed_labels,
    "removed_element": removed_element,
    "duplicated_button": duplicated_button,
    "cloned_button": cloned_button,
    "decoy_link": decoy_link,
}


def apply_mutations(names: tuple[str, ...], path: str, html: str) -> str:
    for name in names:
        html = MUTATIONS[name](path, html)
    return html
