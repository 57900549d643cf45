"""`encore cache ls | show | diff | pin | rm`: look at and manage cached versions.

A version is named by its row id (`12`, the ID column of `ls`) or by its label within a slot (`v2`);
a label needs the slot to be unambiguous: `--workflow`, and `--block`, `--key`, `--branch` when the
workflow has several slots.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from typing import Any

from tracer import terminal_safe, terminal_safe_json

from .._cache import Cache, CacheError, Slot, Version
from .._diff import version_diff
from .._runner import DEFAULT_CACHE
from .._store import StoreURL, default_store

__all__ = ["add_parser", "resolve", "run"]

_STORE_HELP = f"the store: a SQLite file or a postgresql:// URL (default: ENCORE_STORE, else {DEFAULT_CACHE})"
_LABEL = re.compile(r"^v(\d+)$")


def add_parser(subparsers: Any) -> None:
    """`cache` and its actions; `--cache` is accepted before or after the action."""
    cache = subparsers.add_parser("cache", help="inspect and manage cached versions")
    cache.add_argument("--cache", "--store", dest="cache", default=None, help=_STORE_HELP)
    cache.set_defaults(handler=run)
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the action it wins, not given it leaves the value given before (or the default).
    common.add_argument("--cache", "--store", dest="cache", default=argparse.SUPPRESS, help=_STORE_HELP)
    slot = argparse.ArgumentParser(add_help=False)
    slot.add_argument("--workflow", help="only this workflow (task id)")
    slot.add_argument("--block", help="only this block label")
    slot.add_argument("--key", help="only this cache key")
    slot.add_argument("--branch", help="only this branch")
    actions = cache.add_subparsers(dest="action", required=True, parser_class=type(cache))
    listing = actions.add_parser("ls", parents=[common, slot], help="list versions")
    listing.add_argument("--json", action="store_true")
    ref = "a row id (12) or a version label within the slot (v2)"
    show = actions.add_parser("show", parents=[common, slot], help="print a version's script (or trace)")
    show.add_argument("version", help=ref)
    show.add_argument("--trace", action="store_true", help="the trace, as indented JSON")
    diff = actions.add_parser("diff", parents=[common, slot], help="unified diff of two versions' scripts")
    diff.add_argument("old", help=ref)
    diff.add_argument("new", help=ref)
    remove = actions.add_parser("rm", parents=[common, slot], help="remove a version, or a whole workflow")
    remove.add_argument("version", nargs="?", help=ref)
    pin = actions.add_parser("pin", parents=[common, slot], help="pin a version: it runs, and is never healed or regenerated")
    pin.add_argument("version", help=ref)
    pin.add_argument("--unpin", action="store_true")


def run(args: argparse.Namespace) -> int:
    """Do the cache action; exit 0, or raise CacheError (exit 2) naming what is missing."""
    location = StoreURL(args.cache or default_store())
    if location.path is not None and not location.path.exists():
        if args.action == "ls":
            print(f"no cache at {location.path} yet: nothing has run with it")  # listing must not create one
            return 0
        raise CacheError(f"{location.path}: no cache file")
    cache = Cache(str(location.path or location.libpq))
    if args.action == "ls":
        return _list(cache, args)
    if args.action == "show":
        version = resolve(cache, args.version, _filters(args))
        if args.trace:
            print(terminal_safe_json(json.dumps(json.loads(version.trace_json), indent=2, ensure_ascii=False)))
        else:
            print(version.script, end="")  # a script ends with its own newline
        return 0
    if args.action == "diff":
        filters = _filters(args)
        sys.stdout.write(version_diff(resolve(cache, args.old, filters), resolve(cache, args.new, filters)))
        return 0
    if args.action == "rm":
        if args.version is None and args.workflow is None:
            raise CacheError("rm needs a version (row id, or vN with --workflow) or --workflow")
        if args.version is None:
            count = cache.remove(workflow=args.workflow)
        else:
            count = cache.remove(version_id=resolve(cache, args.version, _filters(args)).id)
        print(f"removed {count} version{'s' if count != 1 else ''}")
        return 0
    version = cache.pin(resolve(cache, args.version, _filters(args)).id, not args.unpin)
    print(terminal_safe(f"{'pinned' if version.pinned else 'unpinned'} {version.slot.describe()} v{version.version} (id {version.id})", newlines=False))
    return 0


def resolve(cache: Cache, reference: str, filters: dict[str, str | None]) -> Version:
    """A version by row id, or by label (`v2`) within the one slot the filters leave."""
    if reference.isdigit():
        return cache.get(int(reference))
    label = _LABEL.match(reference)
    if label is None:
        raise CacheError(f"{reference!r}: name a version by its row id (12) or its label (v2)")
    slots = sorted({v.slot for v in _matching(cache, filters)}, key=Slot.describe)
    if not slots:
        raise CacheError(f"{reference}: no cached versions{_where(filters)}")
    if len(slots) > 1:
        shown = "; ".join(slot.describe() for slot in slots[:5]) + ("; …" if len(slots) > 5 else "")
        raise CacheError(
            f"{reference} is ambiguous: {len(slots)} slots{_where(filters)} ({shown});"
            " narrow it with --workflow, --block, --key or --branch, or use a row id"
        )
    number = int(label.group(1))
    for version in _matching(cache, filters):
        if version.slot == slots[0] and version.version == number:
            return version
    raise CacheError(f"{slots[0].describe()} has no version {number}")


def _list(cache: Cache, args: argparse.Namespace) -> int:
    versions = _matching(cache, _filters(args))
    if args.json:
        print(json.dumps([_row(v) for v in versions], indent=2))
        return 0
    if not versions:
        print(f"no cached versions in {cache.path or cache.store.url}{_where(_filters(args))}")
        return 0
    rows = [("ID", "SLOT", "VERSION", "ORIGIN", "CREATED (UTC)", "SHA256")]
    for v in versions:
        when = datetime.fromtimestamp(v.created, UTC).strftime("%Y-%m-%d %H:%M")
        rows.append((str(v.id), v.slot.describe(), f"v{v.version}" + (" pinned" if v.pinned else ""), v.origin, when,
                     v.sha256[:12]))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        # Names and keys come from workflows and pages: a terminal must not act on what they hold.
        print(terminal_safe("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip(), newlines=False))
    return 0


def _filters(args: argparse.Namespace) -> dict[str, str | None]:
    return {name: getattr(args, name, None) for name in ("workflow", "block", "key", "branch")}


def _matching(cache: Cache, filters: dict[str, str | None]) -> list[Version]:
    versions = cache.versions(workflow=filters.get("workflow"), block=filters.get("block"))
    if filters.get("key") is not None:
        versions = [v for v in versions if v.slot.cache_key == filters["key"]]
    if filters.get("branch") is not None:
        versions = [v for v in versions if v.slot.branch == filters["branch"]]
    return versions


def _where(filters: dict[str, str | None]) -> str:
    given = [f"--{name} {value}" for name, value in filters.items() if value is not None]
    return f" for {' '.join(given)}" if given else ""


def _row(version: Version) -> dict[str, Any]:
    return {
        "id": version.id,
        "workflow": version.slot.workflow,
        "cache_key": version.slot.cache_key,
        "block": version.slot.block,
        "branch": version.slot.branch,
        "version": version.version,
        "origin": version.origin,
        "pinned": version.pinned,
        "sha256": version.sha256,
        "run_id": version.run_id,
    }
