"""IR to source: build the LibCST module, render it, format it with black."""

from __future__ import annotations

from dataclasses import dataclass

from tracer import Trace

from ._format import format_source
from ._module import build_module

__all__ = ["CompileResult", "compile_trace"]


@dataclass(frozen=True)
class CompileResult:
    """A compiled script's source, and the warnings about the trace met on the way."""

    source: str
    warnings: tuple[str, ...]


def compile_trace(trace: Trace) -> CompileResult:
    """The trace as a black-formatted, deterministic Python script, with compile warnings."""
    module, warnings = build_module(trace)
    return CompileResult(format_source(module.code), tuple(warnings))
