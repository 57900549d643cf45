"""`python -m runtime run SCRIPT.py [--params params.json] [--headed]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from ._browser import BrowserUnavailable, launch_chromium
from ._errors import DivergenceError, TaskTerminated
from ._options import Options
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
    run.add_argument("--artifacts", default=".encore/artifacts", help="where screenshots and downloads go")
    run.add_argument("--timeout", type=float, default=None, help="seconds to find each element (default 1.25)")
    run.add_argument(
        "--settle-timeout", type=float, default=None, metavar="SECONDS",
        help="how long a missing element may be waited for while the page is still busy (default 10)",
    )
    return parser


def _print_step(result: StepResult) -> None:
    via = ""
    if result.used_fallback:
        via = f"  via fallback #{result.candidate_index}: {result.selector}"
    print(f"  ok  {result.step_id:<8} {result.action:<14} {result.seconds:7.3f}s  {result.intention[:60]}{via}", flush=True)


def _options(args: argparse.Namespace) -> Options:
    return Options(
        base_url=args.base_url,
        artifacts_dir=Path(args.artifacts),
        on_step=_print_step,
        **({"locate_timeout": args.timeout} if args.timeout else {}),
        **({"settle_timeout": args.settle_timeout} if args.settle_timeout is not None else {}),
    )


async def _replay(args: argparse.Namespace, params_data: dict[str, Any]) -> int:
    module = load_script(args.script)
    try:
        params = load_params(module, params_data)
    except ScriptError as exc:
        where = args.params or f"{args.script} (values from ENCORE_PARAM_<NAME>)"
        raise ScriptError(f"{where}: {exc}") from None
    options = _options(args)
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright, headless=not args.headed)
        try:
            context = await browser.new_context(accept_downloads=True)
            page = await context.new_page()
            print(f"replaying {args.script} ({getattr(module, 'TRACE_ID', '?')})", flush=True)
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
        print(json.dumps(outputs, indent=2, ensure_ascii=False, sort_keys=True))
    print("done", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    params_data: dict[str, Any] = {}
    if args.params:
        try:
            params_data = json.loads(Path(args.params).read_text(encoding="utf-8"))
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
