"""`python -m tracer schema | show TRACE.json`."""

from __future__ import annotations

import argparse
import json
import sys

from ._files import TraceError, load_trace
from ._model import Trace
from ._show import format_trace

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracer", description="Encore traces.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("schema", help="print the trace JSON Schema")
    show = commands.add_parser("show", help="print a trace as a readable step list")
    show.add_argument("trace")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(Trace.model_json_schema(), indent=2, sort_keys=True))
        return 0
    try:
        trace = load_trace(args.trace)
    except TraceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(format_trace(trace))
    return 0
