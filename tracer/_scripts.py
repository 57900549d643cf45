"""The in-page scripts Encore evaluates, shared by the recorder and the runtime."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["page_script"]


@cache
def page_script(name: str) -> str:
    """The source of `tracer/js/<name>.js`, an expression evaluating to a function."""
    return files("tracer").joinpath("js", f"{name}.js").read_text(encoding="utf-8")
