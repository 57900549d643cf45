"""`encore worker`: run queued and scheduled runs (needs a PostgreSQL store)."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

from ._cli_scale import add_store_option, open_store

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("worker", help="run queued and scheduled runs (PostgreSQL store)")
    parser.set_defaults(handler=run)
    add_store_option(parser)
    parser.add_argument("--concurrency", type=int, default=2, help="runs at once, one browser context each (default 2)")
    parser.add_argument("--runs", type=Path, default=Path(".encore/runs"), help="reports go here")
    parser.add_argument("--deadline", type=float, default=None, metavar="S", help="a run past S seconds is timed_out")
    parser.add_argument("--heal-wait", type=float, default=600.0, metavar="S",
                        help="how long a run waits for another run healing the same slot (default 600)")
    parser.add_argument("--stalled-after", type=float, default=30.0, metavar="S",
                        help="a worker silent for S seconds is dead; its runs are queued again (default 30)")
    parser.add_argument("--name", help="worker name (default host-pid)")


def run(args: argparse.Namespace) -> int:
    from ._queue import serve  # procrastinate loads only for these commands

    if args.concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    store = open_store(args)
    asyncio.run(serve(
        store, concurrency=args.concurrency, runs_dir=args.runs, deadline_s=args.deadline,
        heal_wait_s=args.heal_wait, stalled_after_s=args.stalled_after, name=args.name,
    ))
    return 0
