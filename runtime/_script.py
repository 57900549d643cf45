"""Loading a generated script and its parameters."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = ["ScriptError", "load_params", "load_script"]


class ScriptError(ValueError):
    """The script or its parameters cannot be used; the message says which and why."""


def load_script(path: str | os.PathLike[str]) -> ModuleType:
    """Import a generated script from its file; ScriptError when it is missing, broken, or not one."""
    file = Path(path)
    if not file.is_file():
        raise ScriptError(f"{file}: no such script")
    name = "encore_script_" + hashlib.sha256(str(file.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ScriptError(f"{file}: cannot be imported as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - a broken script must be reported, whatever it raised
        del sys.modules[name]
        raise ScriptError(f"{file}: failed to import: {type(exc).__name__}: {exc}") from None
    for attribute in ("Params", "run"):
        if not hasattr(module, attribute):
            raise ScriptError(f"{file}: not an Encore script (no {attribute!r})")
    return module


def load_params(module: ModuleType, data: dict[str, Any]) -> BaseModel:
    """Validate run-time values; missing ones come from ENCORE_PARAM_<NAME> (the way to pass secrets)."""
    params_class: type[BaseModel] = module.Params
    values = dict(data)
    for name in params_class.model_fields:
        env = os.environ.get(f"ENCORE_PARAM_{name.upper()}")
        if name not in values and env is not None:
            values[name] = env
    try:
        return params_class.model_validate(values)
    except ValidationError as exc:
        # Never echo the input: it may hold a secret.
        problems = "; ".join(_problem(e) for e in exc.errors(include_url=False, include_input=False))
        raise ScriptError(f"parameters: {problems}") from None


def _problem(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"]) or "(params)"
    if error["type"] == "missing" and len(error["loc"]) == 1:
        return f"{where}: {error['msg']} (give it in the parameters, or set ENCORE_PARAM_{str(error['loc'][0]).upper()})"
    return f"{where}: {error['msg']}"
