"""Verified from the first replay on: what a replay saw of steps recorded without it, written back into the trace."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from tracer import (
    DevtoolsChangeAction,
    Fingerprint,
    LiteralValue,
    Parameter,
    Postcondition,
    SecretRef,
    Trace,
    Value,
    trace_from_data,
)

__all__ = ["Enrichment", "StepFindings"]


@dataclass
class StepFindings:
    """One step, as the recorder would have kept it: the element's fingerprint, what held afterwards."""

    fingerprint: Fingerprint | None = None
    postconditions: list[Postcondition] = field(default_factory=list)
    password_field: bool = False
    """A literal was typed into an <input type=password>: the enriched trace makes it a secret."""


class Enrichment:
    """Pass as `Options.enrich`: the replay fills it in; `apply` gives the trace every later replay verifies with."""

    def __init__(self) -> None:
        self.steps: dict[str, StepFindings] = {}

    def step(self, step_id: str) -> StepFindings:
        """What this replay found for step `step_id` (created on first use)."""
        return self.steps.setdefault(step_id, StepFindings())

    def count(self) -> int:
        """How many steps this replay learned something about."""
        return sum(1 for f in self.steps.values() if f.fingerprint or f.postconditions or f.password_field)

    def apply(self, trace: Trace) -> tuple[Trace, list[str]]:
        """The trace with fingerprints and post-conditions added where it had none; notes on what changed."""
        notes: list[str] = []
        data: dict[str, Any] = trace.model_dump(mode="json", exclude_none=True)
        declared = {p["name"] for p in data.get("parameters", [])}
        added: list[Parameter] = []
        for block in data["blocks"]:
            for step in block["steps"]:
                found = self.steps.get(step["id"])
                if found is None:
                    continue
                action = step["action"]
                if found.password_field and action["kind"] == DevtoolsChangeAction.model_fields["kind"].default:
                    value = action.get("value", {})
                    if value.get("kind") == LiteralValue.model_fields["kind"].default:
                        name = _free("password", declared)
                        declared.add(name)
                        added.append(Parameter(name=name, secret=True))
                        action["value"] = SecretRef(name=name).model_dump(mode="json")
                        literal = str(value.get("value", ""))
                        if literal:  # the intention named the value it typed: it names the secret now
                            step["intention"] = step["intention"].replace(repr(literal), f"the secret {name}")
                            step["intention"] = step["intention"].replace(literal, f"the secret {name}")
                        notes.append(f"step {step['id']} typed a literal into a password field: it is now the secret"
                                     f" {name!r} (give it as ENCORE_PARAM_{name.upper()}); the literal is dropped")
                target = action.get("element") or action.get("target")
                if found.fingerprint is not None and isinstance(target, dict) and not target.get("fingerprint"):
                    target["fingerprint"] = found.fingerprint.model_dump(mode="json", exclude_none=True)
                if found.postconditions and not step.get("postconditions"):
                    step["postconditions"] = [_bind(p, action).model_dump(mode="json", exclude_none=True)
                                              for p in found.postconditions]
        if added:
            data["parameters"] = [*data.get("parameters", []), *(p.model_dump(mode="json", exclude_none=True) for p in added)]
            data["parameters"].sort(key=lambda p: p["name"])
        return trace_from_data(data), notes


def _bind(condition: Postcondition, action: dict[str, Any]) -> Postcondition:
    # A field-value condition names the step's own value as the trace keeps it (a secret stays a reference).
    if condition.kind == "field_value" and getattr(condition, "target", None) is None and "value" in action:
        return condition.model_copy(update={"value": _value(action["value"])})
    return condition


_VALUE: TypeAdapter[Any] = TypeAdapter(Value)


def _value(data: dict[str, Any]) -> Any:
    return _VALUE.validate_python(data)


def _free(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name
