"""`encore run-task GOAL --url URL` and `encore run WORKFLOW`: one run, its summary, its exit code."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from agent import AgentConfig
from runtime import Options
from tracer import terminal_safe

from .._cli_scale import RUN_WITH, add_run_with_option
from .._result import RunResult
from .._runner import DEFAULT_CACHE, DEFAULT_RUNS, run_task, run_workflow
from .._workflow import load_workflow

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> None:
    """`run-task` and `run`, with the options they share."""
    task = subparsers.add_parser("run-task", help="solve a goal on a page (agent first time, cached code after)")
    task.add_argument("goal")
    task.add_argument("--url", required=True, help="the start page")
    task.add_argument("--secret", action="append", default=[], metavar="NAME",
                      help="a secret parameter; its value is read from ENCORE_PARAM_<NAME>")
    task.add_argument("--schema", type=Path, help="JSON schema of the data to extract (printed, and in --json)")
    task.add_argument("--task-id", help="cache entry name (default: derived from goal and URL)")
    task.add_argument("--max-steps", type=int, help="the agent's step limit")
    _run_options(task)
    workflow = subparsers.add_parser("run", help="run a workflow definition (YAML or JSON)")
    workflow.add_argument("workflow", type=Path)
    _run_options(workflow)
    for parser in (task, workflow):
        parser.set_defaults(handler=run)


def _run_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter value")
    add_run_with_option(sub)
    sub.add_argument("--engine", choices=["record", "off"], default="record", help="cache what the agent did")
    sub.add_argument("--cache", "--store", dest="cache", default=None,
                     help=f"the store: a SQLite file or a postgresql:// URL (default: ENCORE_STORE, else {DEFAULT_CACHE})")
    sub.add_argument("--runs", type=Path, default=DEFAULT_RUNS, help=f"reports go here (default {DEFAULT_RUNS})")
    sub.add_argument("--model", help="model name (default: ENCORE_MODEL or gpt-4o-mini)")
    sub.add_argument("--base-url", help="replay recorded URLs against this origin (staging, another port)")
    sub.add_argument("--uploads", type=Path, help="a folder recorded steps may upload files from (file parameters always may)")
    sub.add_argument(
        "--settle-timeout", type=float, metavar="SECONDS",
        help="how long a replay waits for a missing element while the page is still busy (default: the"
        " workflow's settle_timeout, else 10)",
    )
    sub.add_argument("--no-heal", action="store_true", help="report divergences instead of healing")
    sub.add_argument("--no-trace", action="store_true", help="skip the Playwright trace.zip")
    sub.add_argument("--headed", action="store_true", help="show the browser (needs a display)")
    sub.add_argument("--json", action="store_true", help="print the run result as JSON (progress stays on stderr)")
    noise = sub.add_mutually_exclusive_group()
    noise.add_argument("--progress", action="store_true", default=None,
                       help="one line per block and step on stderr (default when stderr is a terminal)")
    noise.add_argument("--quiet", dest="progress", action="store_false", help="no progress lines")


def run(args: argparse.Namespace) -> int:
    """Run the task or workflow; print its summary (or JSON); exit 0, 3 (healed) or 1 (failed)."""
    params = _params(args.param)
    common: dict[str, Any] = {
        "run_with": RUN_WITH[args.run_with],
        "engine": args.engine,
        "cache": args.cache,
        "runs_dir": args.runs,
        "config": AgentConfig.from_env(model=args.model),
        "heal": not args.no_heal,
        "playwright_trace": not args.no_trace,
        "headed": args.headed,
        "options": Options(base_url=args.base_url, upload_dir=args.uploads),
        "settle_timeout": args.settle_timeout,
        "progress": _progress if (sys.stderr.isatty() if args.progress is None else args.progress) else None,
    }
    if args.command == "run-task":
        secrets = {name: _env_secret(name) for name in args.secret}
        schema = _schema(args.schema) if args.schema else None
        coroutine = run_task(
            args.goal, args.url, params, secrets=secrets, output_schema=schema, task_id=args.task_id,
            max_steps=args.max_steps, **common,
        )
    else:
        workflow = load_workflow(args.workflow)
        for parameter in workflow.parameters:
            if parameter.secret and parameter.name not in params:
                env = os.environ.get(f"ENCORE_PARAM_{parameter.name.upper()}")
                if env is not None:
                    params[parameter.name] = env
        coroutine = run_workflow(workflow, params, **common)
    result = asyncio.run(_cancelled_by_sigterm(coroutine))
    print(result.model_dump_json(indent=2) if args.json else terminal_safe(summary(result)))
    for warning in result.warnings:
        print(f"warning: {terminal_safe(warning, newlines=False)}", file=sys.stderr)
    return result.exit_code


async def _cancelled_by_sigterm(coroutine: Any) -> Any:
    """SIGTERM cancels the run, so its scratch folder (which may hold typed secrets) is removed on the way out."""
    task = asyncio.ensure_future(coroutine)
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    except (NotImplementedError, RuntimeError):  # not on this platform or thread
        pass
    return await task


def summary(result: RunResult) -> str:
    """The run in a few lines: status, what ran, model use, each block, the outputs, the report."""
    cost = "unknown" if result.cost_usd is None else f"${result.cost_usd:.4f}"
    failed = f" ({result.failed_llm_calls} failed)" if result.failed_llm_calls else ""
    head = f"{result.status}: {result.workflow} [{result.cache_key}] in {result.seconds:.2f}s;"
    lines = [f"{head} ran {result.what_ran}; {_calls(result.llm_calls)}{failed}, cost {cost}"]
    for block in result.blocks:
        version = "" if block.version is None else f" v{block.version}"
        new = "" if block.new_version is None else f" -> v{block.new_version}"
        fallbacks = sum(1 for s in block.steps if s.fallback)
        extra = f", {fallbacks} on fallback selectors" if fallbacks else ""
        lines.append(
            f"  {block.label:<20} {block.mode:<15}{version}{new} {block.seconds:.2f}s"
            f" {_calls(block.llm_calls)}{extra} {'ok' if block.ok else 'FAILED'} {block.message}".rstrip()
        )
    if result.outputs:
        lines.append("outputs: " + json.dumps(result.outputs, indent=2, ensure_ascii=False, default=str))
    if result.report:
        lines.append(f"report: {result.report}")
    return "\n".join(lines)


def _calls(count: int) -> str:
    return f"{count} LLM call{'' if count == 1 else 's'}"


def _progress(line: str) -> None:
    print(terminal_safe(line, newlines=False), file=sys.stderr, flush=True)  # intentions quote page text


def _params(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        if not eq or not name:
            raise ValueError(f"--param {pair!r}: expected NAME=VALUE")
        values[name] = value
    return values


def _env_secret(name: str) -> str:
    value = os.environ.get(f"ENCORE_PARAM_{name.upper()}")
    if value is None:
        raise ValueError(f"secret {name!r}: set the environment variable ENCORE_PARAM_{name.upper()}")
    return value


def _schema(path: Path) -> dict[str, Any]:
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"--schema {path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"--schema {path}: not JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise ValueError(f"--schema {path}: a JSON schema is an object")  # noqa: TRY004 - bad input: exit 2
    return schema
