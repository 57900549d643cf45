"""The runtime's in-page scripts (`runtime/js/`), with the scoring constants filled in from `_score.py`."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from tracer import page_script

from ._score import (
    BUTTON_TYPES,
    CONTRACT,
    FIELD_TAGS,
    IDENTITY,
    LABELLED_ROLES,
    NAMING,
    VOLATILE,
    WEIGHTS,
    labelled_tags,
)

__all__ = ["engine_source", "verify_library"]


@cache
def _read(name: str) -> str:
    return files("runtime").joinpath("js", f"{name}.js").read_text(encoding="utf-8")


@cache
def _constants() -> str:
    # One source of truth for the weights and attribute lists: Python's, handed to the page.
    return json.dumps(
        {
            "weights": WEIGHTS,
            "identity": list(IDENTITY),
            "contract": list(CONTRACT),
            "fieldTags": sorted(FIELD_TAGS),
            "buttonTypes": sorted(BUTTON_TYPES),
            "volatile": list(VOLATILE),
            "labelledRoles": sorted(LABELLED_ROLES),
            "labelledTags": sorted(labelled_tags()),
            "naming": list(NAMING),
        },
        sort_keys=True,
    )


@cache
def verify_library() -> str:
    """An expression giving the verification library (see runtime/js/verify.js) for this frame."""
    return f"({_read('verify')})({page_script('fingerprint')}, {_constants()})"


@cache
def engine_source() -> str:
    """The `encore` selector engine's source (runtime/js/engine.js)."""
    return (
        _read("engine")
        .replace("__VERIFY__", _read("verify"))
        .replace("__FINGERPRINT__", page_script("fingerprint"))
        .replace("__CONSTANTS__", _constants())
    )
