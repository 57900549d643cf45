"""What the scale-out subcommands share: the store option, parameters from the command line, times."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ._store import Store, default_store

__all__ = ["RUN_WITH", "add_params_options", "add_run_with_option", "add_store_option", "open_store", "params_from", "when"]

RUN_WITH = {"code": "code", "agent": "agent", "code-only": "code_only"}
"""`--run-with` as the command line spells it -> the runner's `run_with` (the same for run, submit and schedule)."""


def add_store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", default=None,
        help="the store: a SQLite file or a postgresql:// URL (default: ENCORE_STORE, else .encore/cache.sqlite)",
    )


def open_store(args: argparse.Namespace) -> Store:
    return Store(args.store or default_store())


def add_run_with_option(parser: argparse.ArgumentParser) -> None:
    """`--run-with code|agent|code-only`; `RUN_WITH[args.run_with]` is what the runner takes."""
    parser.add_argument(
        "--run-with", choices=sorted(RUN_WITH), default="code",
        help="code: cached code first, the model heals or records (default); agent: always the agent;"
        " code-only: cached code only, never a model call (refused when nothing is cached)",
    )


def add_params_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a plain parameter")
    parser.add_argument("--params", metavar="FILE|JSON", help="plain parameters as a JSON object, or a file holding one")


def params_from(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if args.params:
        text = args.params
        if not text.lstrip().startswith("{"):
            text = Path(text).read_text(encoding="utf-8")
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"--params: not a JSON object: {exc}") from None
        if not isinstance(loaded, dict):
            raise ValueError("--params: expected a JSON object of parameter values")
        values.update(loaded)
    for pair in args.param:
        name, eq, value = pair.partition("=")
        if not eq or not name:
            raise ValueError(f"--param {pair!r}: expected NAME=VALUE")
        values[name] = value
    return values


def when(stamp: float | None) -> str:
    return "-" if stamp is None else datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
