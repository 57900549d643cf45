"""State that travels through one compilation: imports to add, warnings, the recorded-data table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from tracer import (
    ElementState,
    FieldValue,
    FillAction,
    LiteralValue,
    ParamRef,
    Postcondition,
    SecretRef,
    SetCheckedAction,
    Step,
    Target,
    Trace,
    origin_of,
)

from ._literal import literal
from ._template import TemplateUse

__all__ = ["EmitContext"]


@dataclass
class EmitContext:
    """What one compilation collects: names to import, warnings, and the RECORDED table (what the runtime reads)."""

    trace: Trace
    runtime_names: set[str] = field(default_factory=lambda: {"Options", "Steps"})
    pydantic_names: set[str] = field(default_factory=lambda: {"BaseModel"})
    typing_names: set[str] = field(default_factory=lambda: {"Any"})
    warnings: list[str] = field(default_factory=list)
    recorded: dict[str, dict[str, Any]] = field(default_factory=dict)
    uses_files: bool = False
    templates: TemplateUse = field(default_factory=TemplateUse)
    """Which parameters are strings, and whether a template became a pattern (the module imports `re`)."""

    def __post_init__(self) -> None:
        strings = frozenset(p.name for p in self.trace.parameters if p.type == "string" and not p.secret)
        self.templates = TemplateUse(string_params=strings)

    def warn(self, step: Step, message: str) -> None:
        self.warnings.append(f"step {step.id}: {message}")

    def value(self, value: LiteralValue | ParamRef | SecretRef) -> cst.BaseExpression:
        """A trace value as code: a literal, or the parameter it refers to (secrets stay SecretStr)."""
        if isinstance(value, LiteralValue):
            return literal(value.value)
        return cst.Attribute(cst.Name("params"), cst.Name(value.name))

    def record_target(self, step: Step, target: Target, key: str = "fingerprint") -> None:
        """Keep what the runtime verifies an element against; the box is informative only and stays in the trace."""
        entry = self.recorded.setdefault(step.id, {})
        if target.frame_path:
            entry["frame_path"] = list(target.frame_path)
        if target.fingerprint is None:
            self.warn(step, "no fingerprint recorded: the first unique visible candidate is trusted")
            return
        entry[key] = target.fingerprint.model_dump(mode="json", exclude_defaults=True, exclude={"box"})
        if target.appear_ms and key == "fingerprint":
            entry["appear_ms"] = target.appear_ms  # how long the element took to appear when recorded

    def record_step(self, step: Step) -> None:
        """Keep the step's intention and the post-conditions the runtime must check after it."""
        entry = self.recorded.setdefault(step.id, {})
        entry["intention"] = step.intention
        checked = [p for p in step.postconditions if not _settled_by_the_action(step, p)]
        if checked:
            # exclude_none, not exclude_defaults: the `kind` tags are defaults and must stay.
            entry["postconditions"] = [p.model_dump(mode="json", exclude_none=True) for p in checked]

    def record_secret_origins(self, step: Step, value: LiteralValue | ParamRef | SecretRef) -> None:
        """Where a secret may be typed: the origins it was recorded on (else the start URL's origin)."""
        if not isinstance(value, SecretRef):
            return
        declared = next((p for p in self.trace.parameters if p.name == value.name), None)
        origins = list(declared.origins) if declared is not None and declared.origins else []
        if not origins:
            start = origin_of(self.trace.start_url)
            origins = [start] if start else []
        self.recorded.setdefault(step.id, {})["secret_origins"] = sorted(origins)


def _settled_by_the_action(step: Step, condition: Postcondition) -> bool:
    """A post-condition the runtime's action already proves: a fill reads its own field back, and
    set_checked fails unless the box ends in the wanted state. The table need not carry them."""
    action = step.action
    if getattr(condition, "target", None) is not None:
        return False
    if isinstance(action, FillAction):
        return isinstance(condition, FieldValue)
    if isinstance(action, SetCheckedAction):
        return isinstance(condition, ElementState) and condition.state == ("checked" if action.checked else "unchecked")
    return False
