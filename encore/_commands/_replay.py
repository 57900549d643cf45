"""`encore replay TRACE [--enrich OUT]`: one trace replayed as it is (an imported one, say), optionally enriched."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from tracer import load_trace

from .._trace_replay import replay_trace

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    """`replay` and its options."""
    replay = subparsers.add_parser(
        "replay", help="replay one trace (e.g. `python -m tracer import`ed), optionally saving it enriched"
    )
    replay.add_argument("trace", type=Path)
    replay.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter value")
    replay.add_argument("--enrich", type=Path, metavar="OUT.json",
                        help="once the replay completes, write the trace with every step's fingerprint and"
                             " post-conditions as the recorder records them: later replays are verified")
    replay.add_argument("--base-url", help="replay recorded URLs against this origin")
    replay.add_argument("--artifacts", type=Path, default=Path(".encore/artifacts"), help="divergence screenshots")
    replay.add_argument("--headed", action="store_true", help="show the browser (needs a display)")
    replay.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Secrets come from ENCORE_PARAM_<NAME>, as for generated scripts; exit 0 done, 1 diverged, 2 bad input."""
    trace = load_trace(args.trace)
    outcome = asyncio.run(replay_trace(
        trace, _params(args.param), enrich_to=args.enrich, base_url=args.base_url, headed=args.headed,
        artifacts=args.artifacts,
    ))
    for step in outcome.steps:
        print(f"  ok  {step.step_id:<8} {step.action:<26} {step.seconds:7.3f}s  {step.intention[:60]}")
    if outcome.divergence is not None:
        print(outcome.divergence.to_json())
        print(f"encore: {args.trace}: the replay diverged; nothing enriched" if args.enrich else
              f"encore: {args.trace}: the replay diverged", file=sys.stderr)
        return 1
    for note in outcome.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"done{f'; enriched trace: {outcome.enriched}' if outcome.enriched else ''}")
    return 0


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name:
            raise ValueError(f"--param {pair!r}: expected NAME=VALUE")
        values[name] = value
    return values
