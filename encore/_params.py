"""Run-time parameter values: bound to a workflow's declarations, typed, secrets kept apart; the cache key."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tracer import Parameter

from ._destinations import destinations
from ._templates import render
from ._workflow import Workflow, WorkflowError

__all__ = ["Scalar", "bind", "cache_key", "declare"]

Scalar = str | int | float | bool


def declare(name: str, value: Scalar) -> dict[str, Any]:
    """A parameter declaration whose type is that of `value`."""
    kind = {bool: "boolean", int: "integer", float: "number"}.get(type(value), "string")
    return {"name": name, "type": kind}


def bind(workflow: Workflow, given: dict[str, Scalar]) -> tuple[dict[str, Scalar], dict[str, str]]:
    """Split run-time values into plain parameters and secrets; missing, unknown or mistyped values fail here."""
    declared = {p.name: p for p in workflow.parameters}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise WorkflowError(f"{workflow.id}: unknown parameters {unknown}; declared: {sorted(declared) or 'none'}")
    values: dict[str, Scalar] = {}
    secret_values: dict[str, str] = {}
    for name, parameter in declared.items():
        if name not in given and parameter.default is None:
            raise WorkflowError(f"{workflow.id}: parameter {name!r} needs a value" + (
                f" (for a secret: the environment variable ENCORE_PARAM_{name.upper()})" if parameter.secret else ""
            ))
        value = given.get(name, parameter.default)
        if parameter.secret:
            secret_values[name] = str(value)
        else:
            values[name] = _typed(parameter, value, workflow.id)  # type: ignore[arg-type]
    return values, secret_values


def _typed(parameter: Parameter, value: Scalar, where: str) -> Scalar:
    try:
        if parameter.type == "integer":
            return int(value)
        if parameter.type == "number":
            return float(value)
        if parameter.type == "boolean":
            return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
    except (TypeError, ValueError):
        raise WorkflowError(f"{where}: parameter {parameter.name!r} must be {parameter.type}") from None
    return str(value) if not isinstance(value, str) else value


def cache_key(workflow: Workflow, values: dict[str, Scalar]) -> str:
    """The rendered template, plus a digest of the declared parameters and of where the run goes (the
    origins of the workflow's URLs, and the values of the parameters they use): code recorded on one site
    is never replayed, with another site's secrets, against a start URL on another."""
    rendered = render(workflow.cache_key, {**values, "params": values}, "cache_key") if workflow.cache_key else ""
    declared = sorted((p.name, p.type, p.secret) for p in workflow.parameters)
    signature = json.dumps([declared, destinations(workflow, values).signature()])
    return f"{rendered or 'default'}@{hashlib.sha256(signature.encode()).hexdigest()[:10]}"
