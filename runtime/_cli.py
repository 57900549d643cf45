"""`python -m runtime run SCRIPT.py [--params params.json] [--headed]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from tracer import ShapeError, TraceError, load_trace, loads_json, terminal_safe, trace_sha256, write_trace

from ._browser import BrowserUnavailable, browser_problem, launch_chromium
from ._enrich import Enrichment
from ._errors import DivergenceError, TaskTerminated
from ._options import Options
from ._redact import Redactor
from ._script import ScriptError, load_params, load_script
from ._steps import StepResult

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m runtime", description="Replay Encore scripts.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="replay a generated script in Chromium")
    run.add_argument("script", help="a script made by `python -m codegen`")
    run.add_argument("--params", help="JSON file of parameter values (secrets: ENCORE_PARAM_<NAME>)")
    run.add_argument("--headed", action="store_true", help="show the browser window")
    run.add_argument("--base-url", help="replay against this origin instead of the recorded one")
    run.add_argument("--artifacts", default=".encore/artifacts",
                     help="where divergence screenshots and downloads go (default .encore/artifacts)")
    run.add_argument("--timeout", type=float, default=None,
                     help="seconds each step may take to find and verify its element (default 1.25)")
    run.add_argument(
        "--settle-timeout", type=float, default=None, metavar="SECONDS",
        help="how long a missing element may be waited for while the page is still busy (default 10)",
    )
    run.add_argument("--uploads", type=Path, help="a folder the trace may upload files from (file parameters always may)")
    run.add_argument("--enrich", metavar="TRACE.json",
                     help="the trace the script was compiled from: once the replay completes, every step recorded"
                          " without a fingerprint or post-conditions (an imported one) gets them, as the recorder"
                          " records them, so that later replays are verified")
    run.add_argument("--enriched", metavar="OUT.json", help="where the enriched trace goes (default: over --enrich)")
    return parser


def _print_step(result: StepResult) -> None:
    via = ""
    if result.used_fallback:
        via = f"  via fallback #{result.candidate_index}: {result.selector}"
    line = f"  ok  {result.step_id:<8} {result.action:<14} {result.seconds:7.3f}s  {result.intention[:60]}{via}"
    print(terminal_safe(line, newlines=False), flush=True)


def _trace_to_enrich(args: argparse.Namespace) -> Any:
    """The trace given with --enrich, checked to be the one the script was compiled from."""
    if args.enriched and not args.enrich:
        raise ScriptError("--enriched needs --enrich TRACE.json")
    if not args.enrich:
        return None
    try:
        trace = load_trace(args.enrich)
    except TraceError as exc:
        raise ScriptError(str(exc)) from None
    try:
        # The header's comment lines name the trace's sha256 (never on lines 1-2: those hold fixed text).
        header = "\n".join(Path(args.script).read_text(encoding="utf-8").split("\n", 8)[:8])
    except OSError as exc:
        raise ScriptError(f"{args.script}: cannot read: {exc}") from None
    if f"sha256 {trace_sha256(trace)}" not in header:
        raise ScriptError(f"{args.script} was not compiled from {args.enrich} (its header names another sha256):"
                          " regenerate it with `python -m codegen`")
    return trace


def _options(args: argparse.Namespace, enrichment: Enrichment | None) -> Options:
    return Options(
        base_url=args.base_url,
        artifacts_dir=Path(args.artifacts),
        on_step=_print_step,
        enrich=enrichment,
        upload_dir=args.uploads,
        **({"locate_timeout": args.timeout} if args.timeout else {}),
        **({"settle_timeout": args.settle_timeout} if args.settle_timeout is not None else {}),
    )


async def _replay(args: argparse.Namespace, params_data: dict[str, Any]) -> int:
    trace = _trace_to_enrich(args)
    enrichment = Enrichment() if trace is not None else None
    module = load_script(args.script)
    problem = browser_problem(headless=not args.headed)  # before Playwright starts: it takes seconds
    if problem:
        raise BrowserUnavailable(problem)
    try:
        params = load_params(module, params_data)
    except ScriptError as exc:
        where = args.params or f"{args.script} (values from ENCORE_PARAM_<NAME>)"
        raise ScriptError(f"{where}: {exc}") from None
    for warning in Redactor.for_params(params).warnings():
        print(f"warning: {warning}", file=sys.stderr)
    options = _options(args, enrichment)
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright, headless=not args.headed)
        try:
            context = await browser.new_context(accept_downloads=True)
            page = await context.new_page()
            print(terminal_safe(f"replaying {args.script} ({getattr(module, 'TRACE_ID', '?')})", newlines=False), flush=True)
            outputs = await module.run(page, params, options)
        except DivergenceError as exc:
            print("DIVERGED", file=sys.stderr)
            print(exc.to_json())
            return 1
        except TaskTerminated as exc:
            print(f"terminated: {exc}", file=sys.stderr)
            return 1
        finally:
            await browser.close()
    if outputs:
        safe = Redactor.for_params(params).data(outputs)
        print(terminal_safe(json.dumps(safe, indent=2, ensure_ascii=False, sort_keys=True)))
    if trace is not None and enrichment is not None:
        enriched, notes = enrichment.apply(trace)
        target = args.enriched or args.enrich
        try:
            write_trace(enriched, target)
        except OSError as exc:
            raise ScriptError(f"cannot write {target}: {exc}") from None
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        print(f"enriched {enrichment.count()} steps: {target}", flush=True)
    print("done", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m runtime run ...`; returns the exit code (0 done, 1 diverged, 2 bad input)."""
    args = _parser().parse_args(argv)
    params_data: dict[str, Any] = {}
    if args.params:
        try:
            params_data = loads_json(Path(args.params).read_text(encoding="utf-8"), args.params)
        except ShapeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        except (OSError, ValueError) as exc:
            print(f"error: {args.params}: cannot read parameters: {exc}", file=sys.stderr)
            return 2
        if not isinstance(params_data, dict):
            print(f"error: {args.params}: parameters must be a JSON object", file=sys.stderr)
            return 2
    try:
        return asyncio.run(_replay(args, params_data))
    except (ScriptError, BrowserUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
