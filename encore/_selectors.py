"""Selectors as a reader of the script sees them: `page.get_by_role("button", name="Sign in")`."""

from __future__ import annotations

from functools import lru_cache

import libcst as cst

from codegen import format_source, locator_expression
from tracer import Step, Target

__all__ = ["selector_code", "selectors_code", "step_target"]

_EMPTY = cst.Module(body=[])


def selector_code(target: Target, index: int = 0) -> str:
    """Candidate `index` of `target` as the Playwright expression the generated script uses for it."""
    candidate = target.candidates[min(max(index, 0), len(target.candidates) - 1)]
    return _formatted(_EMPTY.code_for_node(locator_expression(candidate, target.frame_path)))


@lru_cache(maxsize=1024)
def _formatted(code: str) -> str:
    # The script's spelling (black's quotes), kept on one line: where black would wrap it, as built.
    formatted = format_source(code).strip()
    return formatted if "\n" not in formatted else code


def selectors_code(target: Target | None) -> list[str]:
    """Every candidate of `target`, best first."""
    return [] if target is None else [selector_code(target, i) for i in range(len(target.candidates))]


def step_target(step: Step | None) -> Target | None:
    """The element a step acts on or asserts about (an extraction's first field), if any."""
    if step is None:
        return None
    action = step.action
    target = getattr(action, "target", None)
    if target is None and getattr(action, "condition", None) is not None:
        target = getattr(action.condition, "target", None)
    if target is None and getattr(action, "fields", None):
        target = action.fields[0].target
    return target if isinstance(target, Target) else None
