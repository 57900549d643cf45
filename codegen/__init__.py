"""Compiler: Encore trace IR to a black-formatted, deterministic Playwright script."""

from ._format import BLACK_MODE, format_source
from ._literal import comment_lines, literal
from ._locators import locator_expression
from ._pipeline import CompileResult, compile_trace

__all__ = [
    "BLACK_MODE",
    "CompileResult",
    "comment_lines",
    "compile_trace",
    "format_source",
    "literal",
    "locator_expression",
]
