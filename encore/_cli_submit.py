"""`encore submit workflow.yaml --params …`: queue a run for the workers; prints its id."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from ._cli_scale import (
    RUN_WITH,
    add_params_options,
    add_run_with_option,
    add_store_option,
    open_store,
    params_from,
)
from ._workflow import load_workflow

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("submit", help="queue a workflow run for the workers; prints the run id")
    parser.set_defaults(handler=run)
    parser.add_argument("workflow", type=Path)
    add_params_options(parser)
    add_run_with_option(parser)
    add_store_option(parser)


def run(args: argparse.Namespace) -> int:
    from ._queue import submit  # procrastinate loads only for these commands

    workflow = load_workflow(args.workflow)
    params = params_from(args)
    store = open_store(args)
    record = asyncio.run(submit(store, workflow, params, run_with=RUN_WITH[args.run_with]))
    print(record.id)
    return 0
