"""Templates as code: an f-string of literal text and fixed-shape references, or a compiled pattern."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from tracer import Ref, Template
from tracer._data import has_wildcards, text_regex

from ._literal import literal

__all__ = ["TemplateUse", "reference", "template_expression"]


@dataclass
class TemplateUse:
    """What templates need from one compilation: which parameters are strings, whether `re` is used."""

    string_params: frozenset[str] = frozenset()
    needs_re: bool = False


def reference(ref: Ref) -> cst.BaseExpression:
    """`params.<name>` or `steps.vars.<name>`: the only expressions a template puts into code.

    The name is a Python identifier (the IR checks it), so it is a `Name` node, never source text.
    """
    owner = cst.Name("params") if ref.kind == "param" else cst.Attribute(cst.Name("steps"), cst.Name("vars"))
    return cst.Attribute(owner, cst.Name(ref.name or ""))


def template_expression(template: Template, use: TemplateUse | None = None) -> cst.BaseExpression:
    """The template as an expression: `params.title` when it is all one string, `f"Ticket “{params.title}”
    added"`, or a compiled pattern when it holds a wildcard (a counter):
    `re.compile(r"^Clear completed \\(\\d+\\)$")`, which `use` notes so the module imports `re`."""
    use = use if use is not None else TemplateUse()
    if not template.refs():
        return literal("".join(p for p in template.parts if isinstance(p, str)))
    (first, *rest) = template.parts
    if not rest and isinstance(first, Ref) and (first.kind == "var" or first.name in use.string_params):
        return reference(first)
    if not has_wildcards(template):
        parts: list[cst.BaseFormattedStringContent] = []
        for part in template.parts:
            if isinstance(part, str):
                parts.append(cst.FormattedStringText(_fstring_text(part)))
            else:
                parts.append(cst.FormattedStringExpression(reference(part)))
        return cst.FormattedString(parts=parts, start='f"', end='"')
    use.needs_re = True
    return cst.Call(cst.Attribute(cst.Name("re"), cst.Name("compile")), [cst.Arg(_pattern(template))])


def _pattern(template: Template) -> cst.BaseExpression:
    """A whole-string regex: a raw string, or a raw f-string whose values go through `re.escape`."""
    if not any(r.kind in ("param", "var") for r in template.refs()):
        pattern = text_regex(template, {}, {})
        assert pattern is not None  # wildcards only: nothing to look up
        if pattern.isprintable() and '"' not in pattern and not pattern.endswith("\\"):
            return cst.SimpleString(f'r"{pattern}"')  # every character checked above; reads like a hand-written pattern
        return literal(pattern)
    parts: list[cst.BaseFormattedStringContent] = [cst.FormattedStringText("^")]
    for part in template.parts:
        if isinstance(part, str):
            parts.append(cst.FormattedStringText(_raw_regex_text(part)))
        elif part.kind == "number":
            parts.append(cst.FormattedStringText(r"\d+"))
        elif part.kind == "any":
            parts.append(cst.FormattedStringText(".*"))
        else:
            escaped = cst.Call(cst.Attribute(cst.Name("re"), cst.Name("escape")), [cst.Arg(reference(part))])
            parts.append(cst.FormattedStringExpression(escaped))
    parts.append(cst.FormattedStringText("$"))
    return cst.FormattedString(parts=parts, start='rf"', end='"')


_REGEX_SPECIAL = set("\\^$.|?*+()[]{}/")


def _raw_regex_text(text: str) -> str:
    """Literal text as regex source inside `rf"…"`: specials and quotes escaped for the regex (a raw
    string keeps the backslash), braces doubled for the f-string, unprintables as regex escapes."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in _REGEX_SPECIAL or ch == '"':
            out.append("\\" + ch)
        elif not ch.isprintable() or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out).replace("{", "{{").replace("}", "}}")


def _fstring_text(text: str) -> str:
    """Literal text inside `f"…"`: quotes, backslashes, braces and unprintables escaped."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch in "{}":
            out.append(ch * 2)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif not ch.isprintable() or 0xD800 <= ord(ch) <= 0xDFFF:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "".join(out)
