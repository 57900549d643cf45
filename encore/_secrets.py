"""Secrets on a worker: from its environment (ENCORE_PARAM_<NAME>) or a reference the workflow names.

They never travel through the queue or the run rows: a submitted run carries plain parameters only,
and each worker resolves the secrets itself, just before the run.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._workflow import Workflow, WorkflowError

__all__ = ["worker_secrets"]


def worker_secrets(workflow: Workflow) -> dict[str, str]:
    """Every secret parameter's value on this worker; a missing one is named with where it was looked for."""
    values: dict[str, str] = {}
    for parameter in workflow.parameters:
        if not parameter.secret:
            continue
        variable = f"ENCORE_PARAM_{parameter.name.upper()}"
        if variable in os.environ:
            values[parameter.name] = os.environ[variable]
            continue
        reference = workflow.secrets.get(parameter.name)
        if reference is None:
            raise WorkflowError(f"{workflow.id}: secret {parameter.name!r}: set {variable} on the worker")
        values[parameter.name] = _resolve(workflow.id, parameter.name, reference, variable)
    return values


def _resolve(workflow: str, name: str, reference: str, variable: str) -> str:
    kind, _, where = reference.partition(":")
    if kind == "env":
        if where not in os.environ:
            raise WorkflowError(f"{workflow}: secret {name!r}: neither {variable} nor {where} is set on the worker")
        return os.environ[where]
    try:
        return Path(where).read_text(encoding="utf-8").rstrip("\n")
    except OSError as exc:
        raise WorkflowError(f"{workflow}: secret {name!r}: cannot read {where}: {exc.strerror}") from None
