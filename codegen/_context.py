"""State that travels through one compilation: imports to add, warnings, the recorded-data table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from tracer import LiteralValue, ParamRef, SecretRef, Step, Target, Trace

from ._literal import literal
from ._template import TemplateUse

__all__ = ["EmitContext"]


@dataclass
class EmitContext:
    trace: Trace
    runtime_names: set[str] = field(default_factory=lambda: {"Options", "Steps"})
    pydantic_names: set[str] = field(default_factory=lambda: {"BaseModel"})
    typing_names: set[str] = field(default_factory=lambda: {"Any"})
    warnings: list[str] = field(default_factory=list)
    recorded: dict[str, dict[str, Any]] = field(default_factory=dict)
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
        entry = self.recorded.setdefault(step.id, {})
        if target.frame_path:
            entry["frame_path"] = list(target.frame_path)
        if target.fingerprint is None:
            self.warn(step, "no fingerprint recorded: the first unique visible candidate is trusted")
            return
        entry[key] = target.fingerprint.model_dump(mode="json", exclude_defaults=True)
        if target.appear_ms and key == "fingerprint":
            entry["appear_ms"] = target.appear_ms  # how long the element took to appear when recorded

    def record_step(self, step: Step) -> None:
        entry = self.recorded.setdefault(step.id, {})
        entry["intention"] = step.intention
        if step.postconditions:
            # exclude_none, not exclude_defaults: the `kind` tags are defaults and must stay.
            entry["postconditions"] = [p.model_dump(mode="json", exclude_none=True) for p in step.postconditions]
