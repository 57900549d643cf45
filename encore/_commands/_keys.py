"""`encore keys create --name N [--read-only]`, `ls`, `revoke ID`: the API's keys (stored as their sha256)."""

from __future__ import annotations

import argparse
import json
import sys

from .._cli_scale import add_store_option, open_store, when

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("keys", help="API keys for `encore serve`")
    parser.set_defaults(handler=run)
    store = argparse.ArgumentParser(add_help=False)
    add_store_option(store)
    actions = parser.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", parents=[store], help="make a key; it is printed once, never stored")
    create.add_argument("--name", required=True, help="who or what uses it")
    create.add_argument("--read-only", action="store_true", help="GET requests only")
    listing = actions.add_parser("ls", parents=[store], help="list keys (never the keys themselves)")
    listing.add_argument("--json", action="store_true")
    actions.add_parser("revoke", parents=[store], help="revoke a key at once").add_argument("id")


def run(args: argparse.Namespace) -> int:
    from .._store._keys import ApiKeys

    keys = ApiKeys(open_store(args).engine)
    if args.action == "create":
        record, presented = keys.create(args.name, "read" if args.read_only else "full")
        print(presented)
        print(f"key {record.id} ({record.name}, {record.scope}): shown once, keep it now", file=sys.stderr)
        return 0
    if args.action == "ls":
        records = keys.list()
        if args.json:
            print(json.dumps([r.as_dict() for r in records], indent=2))
            return 0
        for r in records:
            state = f"revoked {when(r.revoked_at)}" if r.revoked else f"last used {when(r.last_used_at)}"
            print(f"{r.id}  {r.scope:<4}  {r.name:<24} created {when(r.created)}  {state}")
        return 0
    record = keys.revoke(args.id)
    print(f"revoked key {record.id} ({record.name})")
    return 0
