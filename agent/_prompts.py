"""The words the model reads: the system prompt, and redaction of secret values from everything it is shown."""

from __future__ import annotations

from tracer import Redactor

__all__ = ["LOCATE_PROMPT", "QUESTION_PROMPT", "SYSTEM_PROMPT", "redact", "redactor"]

SYSTEM_PROMPT = """\
You operate a web browser to reach a goal. Each turn you get the goal, the task's parameters, the steps \
taken so far with their outcomes, and the current page as a numbered list of elements: controls \
(role, accessible name, value, state, a few attributes) and texts, in page order, frames marked.

Answer with exactly one next action, and say in `intention` what it does and why, in words a reviewer \
understands; it becomes a comment in generated code.
- Refer to elements only by their [number] in the current list.
- To type a parameter's value, use `parameter` with its name instead of the literal text. Secret \
parameters can only be typed that way; their values are never shown to you.
- To return data, use `extract`: point at the element holding each value (with `many` for lists, and \
`columns` for tables: the row and the cells of one row); the values are read from the page.
- When the goal is reached (and every required output is extracted), answer `complete` with a short summary.
- When the goal cannot be reached, answer `terminate` with the reason. Do not guess or loop.
"""

LOCATE_PROMPT = """\
A recorded browser step can no longer find its element: the page changed. From the current page's \
numbered elements, pick the one that plays the same part as the recorded element (same purpose, even if \
its text, attributes or place changed). Answer null when no element plausibly does; a wrong element is \
worse than none.
"""

QUESTION_PROMPT = """\
Answer a yes/no question about the current page of a web browser, shown as a numbered list of elements.
"""


def redactor(secrets: dict[str, str]) -> Redactor:
    """The redactor for what the model reads: a secret becomes `[secret:<name>]`, in every spelling."""
    return Redactor(secrets, lambda name: f"[secret:{name}]")


def redact(text: str, secrets: dict[str, str]) -> str:
    """Replace every secret value, in every spelling (raw, JSON, URL, HTML, base64...), with `[secret:<name>]`."""
    return redactor(secrets).text(text) if secrets else text
