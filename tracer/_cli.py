"""`python -m tracer schema | show TRACE.json | import RECORDING.json -o TRACE.json`."""

from __future__ import annotations

import argparse
import json
import sys

from ._devtools import ImportError_, import_devtools, parse_lift
from ._files import TraceError, load_trace, write_trace
from ._limits import ShapeError, loads_json
from ._model import Trace
from ._show import format_trace
from ._text import terminal_safe

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracer", description="Encore traces.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("schema", help="print the trace JSON Schema")
    show = commands.add_parser("show", help="print a trace as a readable step list")
    show.add_argument("trace")
    imp = commands.add_parser("import", help="convert a Chrome DevTools Recorder / @puppeteer/replay recording")
    imp.add_argument("recording")
    imp.add_argument("-o", "--output", required=True, help="trace file to write (atomically)")
    imp.add_argument("--id", help="trace id (default: from the recording's title)")
    imp.add_argument("--secret", action="append", default=[], metavar="NAME=STEP",
                     help="the value a change step types is the secret NAME, never stored; STEP is the step's"
                          " index in the recording (from 0) or one of its selectors")
    imp.add_argument("--param", action="append", default=[], metavar="NAME=STEP",
                     help="the value a change step types (or the URL a navigate step opens) is the parameter NAME,"
                          " with the recorded value as its default")
    imp.add_argument("--keep-password-literals", action="store_true",
                     help="do not turn values typed into fields named like passwords into secrets")
    return parser


def _import(args: argparse.Namespace) -> int:
    try:
        with open(args.recording, encoding="utf-8") as handle:
            data = loads_json(handle.read(), args.recording)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {args.recording}: cannot read: {exc}", file=sys.stderr)
        return 2
    except ShapeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        lifts = [parse_lift(text, secret=True) for text in args.secret]
        lifts += [parse_lift(text, secret=False) for text in args.param]
        result = import_devtools(
            data, trace_id=args.id, source=args.recording, lifts=lifts, detect_passwords=not args.keep_password_literals
        )
    except (ImportError_, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    try:
        write_trace(result.trace, args.output)
    except OSError as exc:
        print(f"error: cannot write {args.output}: {exc}", file=sys.stderr)
        return 2
    print(f"imported {len(result.trace.steps())} steps into {args.output}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "import":
        return _import(args)
    if args.command == "schema":
        print(json.dumps(Trace.model_json_schema(), indent=2, sort_keys=True))
        return 0
    try:
        trace = load_trace(args.trace)
    except TraceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(terminal_safe(format_trace(trace)))  # trace text may hold escape sequences or lone surrogates
    return 0
