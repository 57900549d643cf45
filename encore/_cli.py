"""`encore`: run tasks and workflows (cron-friendly), and look after the cache.

Each subcommand lives in a module of `encore._commands` with two functions: `add_parser(subparsers)`
adds its parser(s) and sets `handler=run` on them, and `run(args) -> int` does the work. To add a
subcommand, write such a module and list it in `COMMANDS`. Errors become exit codes in one place,
`exit_code_for`: one line on stderr, exit 2 for bad input and configuration, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType
from typing import NoReturn

from agent import ConfigError
from runtime import BrowserUnavailable, ScriptError
from tracer import TraceError

from . import _cli_runs, _cli_schedule, _cli_submit, _cli_worker
from ._cache import CacheError
from ._commands import _cache, _replay, _run
from ._templates import TemplateProblem
from ._workflow import WorkflowError

__all__ = ["COMMANDS", "USAGE_ERROR", "USAGE_ERRORS", "build_parser", "exit_code_for", "main", "one_line"]

COMMANDS: tuple[ModuleType, ...] = (_run, _replay, _cache, _cli_submit, _cli_runs, _cli_schedule, _cli_worker)
"""The subcommand modules, in the order `encore --help` lists them."""

USAGE_ERROR = 2
INTERRUPTED = 130

USAGE_ERRORS: tuple[type[BaseException], ...] = (
    WorkflowError, TemplateProblem, CacheError, ConfigError, ScriptError, TraceError, BrowserUnavailable,
    ValueError, OSError,
)
"""Exceptions that mean bad input or configuration: exit 2 with their message on one line."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line like every other error of the command."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


def build_parser() -> argparse.ArgumentParser:
    """The `encore` parser with every registered subcommand."""
    parser = _Parser(
        prog="encore",
        description="Run browser tasks from cached code, healed when pages change, with an LLM agent as fallback.",
        epilog="Exit codes: 0 succeeded, 3 succeeded after healing, 1 failed, 2 bad input or configuration.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args))
    except Exception as exc:
        code = exit_code_for(exc)
        if code is None:
            raise
        return code
    except KeyboardInterrupt:
        print("encore: interrupted", file=sys.stderr)
        return INTERRUPTED


def exit_code_for(exc: BaseException) -> int | None:
    """The one place an error becomes an exit code and one line on stderr; None for a real bug (re-raised)."""
    if isinstance(exc, USAGE_ERRORS):
        print(f"encore: {one_line(exc)}", file=sys.stderr)
        return USAGE_ERROR
    return None


def one_line(exc: BaseException) -> str:
    """An exception's message on one line (a multi-line message's lines joined), at most 1,000 characters."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = "; ".join(lines) or type(exc).__name__
    return text if len(text) <= 1000 else text[:999] + "…"
