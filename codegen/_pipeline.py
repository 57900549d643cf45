"""IR to source: build the LibCST module, render it, format it with black."""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

from tracer import Trace

from ._format import format_source
from ._module import HEADER, build_module

__all__ = ["CompileResult", "compile_trace"]


@dataclass(frozen=True)
class CompileResult:
    """A compiled script's source, and the warnings about the trace met on the way."""

    source: str
    warnings: tuple[str, ...]


def compile_trace(trace: Trace) -> CompileResult:
    """The trace as a black-formatted, deterministic Python script, with compile warnings."""
    module, warnings = build_module(trace)
    source = format_source(module.code)
    _check_header(source)
    return CompileResult(source, tuple(warnings))


def _check_header(source: str) -> None:
    """The first two lines are the fixed header and the file decodes as UTF-8: no trace text can say otherwise."""
    lines = source.split("\n", 2)
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source.encode("utf-8", "surrogatepass")).readline)
    if tuple(lines[:2]) != HEADER or encoding != "utf-8":
        raise RuntimeError("generated source does not start with the fixed header")  # a bug, never input
