"""`encore runs ls|show ID|cancel ID`: the run history in the store."""

from __future__ import annotations

import argparse
import asyncio
import json

from ._cli_scale import add_store_option, open_store, when
from ._store import RUN_STATUSES, RunRecord

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("runs", help="list, show and cancel runs")
    parser.set_defaults(handler=run)
    store = argparse.ArgumentParser(add_help=False)
    add_store_option(store)
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("ls", parents=[store], help="runs, newest first")
    listing.add_argument("--status", choices=RUN_STATUSES)
    listing.add_argument("--workflow")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", parents=[store], help="one run: status, blocks, model use, artefacts")
    show.add_argument("id")
    show.add_argument("--wait", type=float, default=0.0, metavar="S", help="wait up to S seconds for a final status")
    actions.add_parser("cancel", parents=[store], help="cancel a queued or running run").add_argument("id")


def run(args: argparse.Namespace) -> int:
    from ._queue import cancel  # procrastinate loads only for these commands

    store = open_store(args)
    if args.action == "ls":
        records = store.runs.list(status=args.status, workflow=args.workflow, limit=args.limit)
        if args.json:
            print(json.dumps([r.as_dict() for r in records], indent=2))
            return 0
        for r in records:
            print(f"{r.id}  {r.status:<10} {r.workflow:<24} {when(r.queued_at)}  {_took(r):>8}  {r.llm_calls} calls"
                  f"  {r.reason[:60]}".rstrip())
        return 0
    if args.action == "show":
        record = store.runs.get(args.id)
        if args.wait > 0:
            record = asyncio.run(store.runs.wait(args.id, args.wait))
        print(json.dumps(record.as_dict(), indent=2))
        return 0
    record = asyncio.run(cancel(store, args.id))
    print(f"{record.id}: {record.status}" + (" (cancel requested)" if record.status == "running" else ""))
    return 0


def _took(record: RunRecord) -> str:
    if record.started_at is None or record.finished_at is None:
        return "-"
    return f"{record.finished_at - record.started_at:.1f}s"
