"""`encore schedule add 'CRON' workflow.yaml --params … [--timezone]`, `ls`, `rm ID`, `pause ID [--resume]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._cli_scale import (
    RUN_WITH,
    add_params_options,
    add_run_with_option,
    add_store_option,
    open_store,
    params_from,
    when,
)
from ._workflow import load_workflow

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "schedule", help="run workflows on a cron schedule (fired by the workers)",
        description="Missed ticks (no worker running) are coalesced: a schedule fires once for its latest missed "
        "tick when workers are back, never once per missed tick.",
    )
    parser.set_defaults(handler=run)
    store = argparse.ArgumentParser(add_help=False)
    add_store_option(store)
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", parents=[store], help="add a schedule")
    add.add_argument("cron", help="five fields: minute hour day month weekday, e.g. '0 6 * * 1-5'")
    add.add_argument("workflow", type=Path)
    add_params_options(add)
    add.add_argument("--timezone", default="UTC", help="IANA zone the cron is read in (default UTC)")
    add_run_with_option(add)
    actions.add_parser("ls", parents=[store], help="list schedules")
    actions.add_parser("rm", parents=[store], help="remove a schedule").add_argument("id", type=int)
    pause = actions.add_parser("pause", parents=[store], help="pause a schedule (ticks are skipped), or --resume it")
    pause.add_argument("id", type=int)
    pause.add_argument("--resume", action="store_true")


def run(args: argparse.Namespace) -> int:
    from ._queue import (  # procrastinate loads only for these commands
        definition_of,
        plain_params,
        refuse_unrunnable,
    )

    store = open_store(args)
    if args.action == "add":
        workflow = load_workflow(args.workflow)
        values = plain_params(workflow, params_from(args))
        run_with = RUN_WITH[args.run_with]
        refuse_unrunnable(store, workflow, values, run_with)  # each tick would fail the same way
        schedule = store.schedules.add(
            args.cron, workflow.id, definition_of(workflow), values, zone=args.timezone, run_with=run_with
        )
        print(f"schedule {schedule.id}: {workflow.id} at '{schedule.cron}' ({schedule.timezone}),"
              f" next {when(schedule.next_fire_at)} UTC")
        return 0
    if args.action == "ls":
        for s in store.schedules.list():
            state = "paused" if s.paused else f"next {when(s.next_fire_at)}"
            print(f"{s.id:>4}  {s.cron:<16} {s.timezone:<16} {s.workflow:<24} {state}  last {s.last_run_id or '-'}")
        return 0
    if args.action == "rm":
        store.schedules.remove(args.id)
        print(f"removed schedule {args.id}")
        return 0
    schedule = store.schedules.pause(args.id, not args.resume)
    print(f"schedule {schedule.id}: {'paused' if schedule.paused else 'resumed, next ' + when(schedule.next_fire_at)}")
    return 0
