"""`encore`: run tasks and workflows (cron-friendly), and look after the cache."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from agent import AgentConfig, ConfigError

from runtime import Options, ScriptError
from . import _cli_keys, _cli_runs, _cli_schedule, _cli_serve, _cli_submit, _cli_worker
from ._cache import Cache, CacheError
from ._result import RunResult
from ._store import StoreURL, default_store
from ._runner import DEFAULT_CACHE, DEFAULT_RUNS, run_task, run_workflow
from ._templates import TemplateProblem
from ._workflow import WorkflowError, load_workflow

__all__ = ["main"]

USAGE_ERROR = 2
_SCALE_COMMANDS = {"worker": _cli_worker, "submit": _cli_submit, "runs": _cli_runs, "schedule": _cli_schedule}
_SCALE_COMMANDS |= {"serve": _cli_serve, "keys": _cli_keys}  # the HTTP API (issue 16)
_STORE_HELP = f"the store: a SQLite file or a postgresql:// URL (default: ENCORE_STORE, else {DEFAULT_CACHE})"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="encore",
        description="Run browser tasks from cached code, healed when pages change, with an LLM agent as fallback.",
        epilog="Exit codes: 0 succeeded, 3 succeeded after healing, 1 failed, 2 bad input.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def run_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter value")
        sub.add_argument("--run-with", choices=["code", "agent"], default="code")
        sub.add_argument("--engine", choices=["record", "off"], default="record", help="cache what the agent did")
        sub.add_argument("--cache", default=None, help=_STORE_HELP)
        sub.add_argument("--runs", type=Path, default=DEFAULT_RUNS, help=f"reports go here (default {DEFAULT_RUNS})")
        sub.add_argument("--model", help="model name (default: ENCORE_MODEL or gpt-4o-mini)")
        sub.add_argument("--base-url", help="replay recorded URLs against this origin (staging, another port)")
        sub.add_argument("--no-heal", action="store_true", help="report divergences instead of healing")
        sub.add_argument("--no-trace", action="store_true", help="skip the Playwright trace.zip")
        sub.add_argument("--headed", action="store_true")
        sub.add_argument("--json", action="store_true", help="print the run result as JSON")

    task = commands.add_parser("run-task", help="solve a goal on a page (agent first time, cached code after)")
    task.add_argument("goal")
    task.add_argument("--url", required=True)
    task.add_argument("--secret", action="append", default=[], metavar="NAME",
                      help="a secret parameter; its value is read from ENCORE_PARAM_<NAME>")
    task.add_argument("--schema", type=Path, help="JSON schema of the data to extract")
    task.add_argument("--task-id", help="cache entry name (default: derived from goal and URL)")
    task.add_argument("--max-steps", type=int)
    run_options(task)

    workflow = commands.add_parser("run", help="run a workflow definition (YAML or JSON)")
    workflow.add_argument("workflow", type=Path)
    run_options(workflow)

    cache = commands.add_parser("cache", help="inspect and manage cached versions")
    cache.add_argument("--cache", default=None, help=_STORE_HELP)
    actions = cache.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("ls", help="list versions")
    listing.add_argument("--workflow")
    listing.add_argument("--json", action="store_true")
    show = actions.add_parser("show", help="print a version's script (or trace)")
    show.add_argument("id", type=int)
    show.add_argument("--trace", action="store_true")
    diff = actions.add_parser("diff", help="unified diff of two versions' scripts")
    diff.add_argument("v1", type=int)
    diff.add_argument("v2", type=int)
    remove = actions.add_parser("rm", help="remove a version, or a whole workflow")
    remove.add_argument("id", type=int, nargs="?")
    remove.add_argument("--workflow")
    pin = actions.add_parser("pin", help="pin a version: it runs and is never regenerated")
    pin.add_argument("id", type=int)
    pin.add_argument("--unpin", action="store_true")
    for module in _SCALE_COMMANDS.values():
        module.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command in _SCALE_COMMANDS:
            return _SCALE_COMMANDS[args.command].run(args)
        if args.command == "cache":
            return _cache(args)
        return _run(args)
    except (WorkflowError, TemplateProblem, CacheError, ConfigError, ScriptError, ValueError, OSError) as exc:
        print(f"encore: {exc}", file=sys.stderr)
        return USAGE_ERROR


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
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


def _run(args: argparse.Namespace) -> int:
    params = _params(args.param)
    config = AgentConfig.from_env(model=args.model)
    common: dict[str, Any] = {
        "run_with": args.run_with,
        "engine": args.engine,
        "cache": args.cache,
        "runs_dir": args.runs,
        "config": config,
        "heal": not args.no_heal,
        "playwright_trace": not args.no_trace,
        "headed": args.headed,
        "options": Options(base_url=args.base_url),
    }
    if args.command == "run-task":
        secrets = {name: _env_secret(name) for name in args.secret}
        schema = json.loads(args.schema.read_text(encoding="utf-8")) if args.schema else None
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
    result = asyncio.run(coroutine)
    print(result.model_dump_json(indent=2) if args.json else _summary(result))
    return result.exit_code


def _summary(result: RunResult) -> str:
    lines = [
        f"{result.status}: {result.workflow} [{result.cache_key}] in {result.seconds:.2f}s, "
        f"{result.llm_calls} LLM calls, cost {'unknown' if result.cost_usd is None else f'${result.cost_usd:.4f}'}"
    ]
    for block in result.blocks:
        version = "" if block.version is None else f" v{block.version}"
        new = "" if block.new_version is None else f" -> v{block.new_version}"
        lines.append(
            f"  {block.label:<20} {block.mode:<15}{version}{new} {block.seconds:.2f}s"
            f" {block.llm_calls} calls {'ok' if block.ok else 'FAILED'} {block.message}".rstrip()
        )
    if result.report:
        lines.append(f"report: {result.report}")
    return "\n".join(lines)


def _cache(args: argparse.Namespace) -> int:
    location = StoreURL(args.cache or default_store())
    if location.path is not None and not location.path.exists():
        if args.action == "ls":
            return 0  # nothing cached yet; listing must not create the file
        raise CacheError(f"{location}: no cache file")
    cache = Cache(str(location.path or location.libpq))
    if args.action == "ls":
        versions = cache.versions(workflow=args.workflow)
        if args.json:
            print(json.dumps([_row(v) for v in versions], indent=2))
        for v in versions if not args.json else []:
            when = datetime.fromtimestamp(v.created, timezone.utc).strftime("%Y-%m-%d %H:%M")
            pinned = " pinned" if v.pinned else ""
            print(f"{v.id:>5}  {v.slot.describe()}  v{v.version}  {v.origin}{pinned}  {when}  {v.sha256[:12]}")
        return 0
    if args.action == "show":
        version = cache.get(args.id)
        if args.trace:
            print(version.trace_json)  # canonical JSON has no final newline
        else:
            print(version.script, end="")  # a script ends with its own
        return 0
    if args.action == "diff":
        a, b = cache.get(args.v1), cache.get(args.v2)
        diff = difflib.unified_diff(
            a.script.splitlines(keepends=True), b.script.splitlines(keepends=True),
            fromfile=f"{a.slot.describe()} v{a.version}", tofile=f"{b.slot.describe()} v{b.version}",
        )
        sys.stdout.writelines(diff)
        return 0
    if args.action == "rm":
        if args.id is None and args.workflow is None:
            raise CacheError("rm needs a version id or --workflow")
        count = cache.remove(version_id=args.id, workflow=args.workflow if args.id is None else None)
        print(f"removed {count} version{'s' if count != 1 else ''}")
        return 0
    version = cache.pin(args.id, not args.unpin)
    print(f"{'pinned' if version.pinned else 'unpinned'} {version.slot.describe()} v{version.version}")
    return 0


def _row(version: Any) -> dict[str, Any]:
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
