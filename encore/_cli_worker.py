"""`encore worker`: run queued and scheduled runs (needs a PostgreSQL store)."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

from ._cli_scale import add_store_option, open_store
from ._priority import MAX_NICE, lower_process_priority

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
    parser.add_argument("--nice", type=int, default=10, metavar="N",
                        help="run N nice levels below normal, browsers included, so that an API or database on the "
                        "same host answers first when the CPU is busy (0 to 19; default 10)")


def run(args: argparse.Namespace) -> int:
    from ._queue import serve  # procrastinate loads only for these commands

    if args.concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    if not 0 <= args.nice <= MAX_NICE:
        raise ValueError(f"--nice {args.nice}: expected 0 to {MAX_NICE}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    store = open_store(args)
    lower_process_priority(args.nice)  # before Chromium starts: it inherits the priority
    asyncio.run(serve(
        store, concurrency=args.concurrency, runs_dir=args.runs, deadline_s=args.deadline,
        heal_wait_s=args.heal_wait, stalled_after_s=args.stalled_after, name=args.name, nice=args.nice,
    ))
    return 0
