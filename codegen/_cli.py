"""`python -m codegen TRACE.json [-o OUT.py] [--check]`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tracer import TraceError, load_trace, parse_trace, write_atomic

from ._pipeline import compile_trace

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m codegen", description="Compile an Encore trace into a Playwright script.")
    parser.add_argument("trace", nargs="?", help="trace JSON file (standard input when absent)")
    parser.add_argument("-o", "--output", help="write the script here (standard output when absent)")
    parser.add_argument("--check", action="store_true", help="exit 1 if OUTPUT differs from what would be generated")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.check and not args.output:
        print("error: --check needs -o OUTPUT to compare against", file=sys.stderr)
        return 2
    problem = _output_problem(args.output, args.trace) if args.output and not args.check else None
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    try:
        trace = load_trace(args.trace) if args.trace else parse_trace(sys.stdin.read(), "<stdin>")
    except TraceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = compile_trace(trace)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        try:
            current = Path(args.output).read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != result.source:
            print(f"{args.output} is out of date: run python -m codegen {args.trace or '-'} -o {args.output}", file=sys.stderr)
            return 1
        return 0
    if args.output:
        try:
            write_atomic(args.output, result.source)
        except OSError as exc:
            print(f"error: cannot write {args.output}: {exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(result.source)
    return 0


def _output_problem(output: str, source: str | None) -> str | None:
    """Why `-o OUTPUT` must not be written: it is the input, a link, or not a regular file."""
    path = Path(output)
    if path.is_symlink():
        return f"{output}: refusing to write through a symbolic link"
    if not path.exists():
        return None
    if not path.is_file():
        return f"{output}: refusing to write: not a regular file (a directory, a device or a pipe)"
    if source is not None and Path(source).exists() and os.path.samefile(path, source):
        return f"{output}: refusing to write: it is the input trace {source}"
    return None
