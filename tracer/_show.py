"""A trace as a readable step list."""

from __future__ import annotations

from typing import Any

from ._model import Candidate, LiteralValue, ParamRef, SecretRef, Step, Trace

__all__ = ["format_trace"]


def _value(value: Any) -> str:
    if isinstance(value, LiteralValue):
        return repr(value.value)
    if isinstance(value, ParamRef):
        return f"{{{value.name}}}"
    if isinstance(value, SecretRef):
        return f"{{secret {value.name}}}"
    return repr(value)


def _candidate(c: Candidate) -> str:
    text = f"{c.strategy}={c.value!r}"
    if c.name is not None:
        text += f" name={c.name!r}"
    if c.nth is not None:
        text += f" nth={c.nth}"
    return text


def _describe(step: Step) -> str:
    action = step.action
    parts = [action.kind]
    for name in ("url", "value", "key", "files", "options", "save_as"):
        item = getattr(action, name, None)
        if item is None:
            continue
        if isinstance(item, tuple):
            parts.append(f"{name}=[{', '.join(_value(v) for v in item)}]")
        else:
            parts.append(f"{name}={_value(item)}")
    element = getattr(action, "element", None)  # DevTools steps: the recording's own selectors
    if element is not None:
        first = element.selectors[0]
        shown = first[0] if len(first) == 1 else " >> ".join(first)
        parts.append(f"→ {shown!r} (+{len(element.selectors) - 1} alternatives)")
    target = getattr(action, "target", None)
    if target is not None:
        frame = f" in frame {' > '.join(target.frame_path)}" if target.frame_path else ""
        parts.append(f"→ {_candidate(target.candidates[0])}{frame} (+{len(target.candidates) - 1} fallbacks)")
    return " ".join(parts)


def format_trace(trace: Trace) -> str:
    """A trace as a readable step list (what `python -m tracer show` prints)."""
    lines = [f"{trace.id}: {trace.title}" if trace.title else trace.id, f"  start: {trace.start_url}"]
    for p in trace.parameters:
        flag = " (secret)" if p.secret else ""
        lines.append(f"  param {p.name}: {p.type}{flag} {p.description}".rstrip())
    for block in trace.blocks:
        lines.append(f"[{block.kind}] {block.label}")
        for step in block.steps:
            intention = " ".join(step.intention.split())
            lines.append(f"  {step.id:<6} {intention}")
            lines.append(f"         {_describe(step)}")
            for post in step.postconditions:
                lines.append(f"         then {post.kind}")
    return "\n".join(lines) + "\n"
