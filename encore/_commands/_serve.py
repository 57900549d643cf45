"""`encore serve`: the HTTP API and web UI; with no configuration, SQLite and an in-process worker."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from .._cli_scale import add_store_option
from .._priority import MAX_NICE

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "serve", help="serve the HTTP API and web UI (every request needs a key: `encore keys create`)",
        description="With no configuration: the SQLite store under .encore/ and an in-process worker. With "
        "ENCORE_STORE=postgresql://… runs go to the queue of separate `encore worker`s (--worker in-process "
        "runs them in this process instead). Webhooks are signed with ENCORE_WEBHOOK_SECRET, else the secret "
        "in a file beside the store (made on first start).",
    )
    parser.set_defaults(handler=run)
    add_store_option(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--worker", choices=["in-process", "queue"], default=None,
                        help="who runs the runs (default: in-process on SQLite, queue on PostgreSQL)")
    parser.add_argument("--concurrency", type=int, default=2, help="in-process: runs at once (default 2)")
    parser.add_argument("--processes", type=int, default=1, metavar="N",
                        help="server processes sharing the port, to answer on several cores (PostgreSQL store with "
                        "separate workers only; default 1)")
    parser.add_argument("--worker-nice", type=int, default=10, metavar="N",
                        help="in-process: the worker and its browsers run N nice levels below the API, so that "
                        "requests are answered first when the CPU is busy (0 to 19; default 10)")
    parser.add_argument("--runs", type=Path, default=Path(".encore/runs"),
                        help="reports go here; artefacts are served from here (share it with workers)")
    parser.add_argument("--deadline", type=float, default=None, metavar="S", help="in-process: a run past S seconds is timed_out")
    parser.add_argument("--heal-wait", type=float, default=600.0, metavar="S",
                        help="in-process: how long a run waits for another run healing the same slot")
    parser.add_argument("--webhook-secret-file", type=Path, default=None,
                        help="the webhook signing secret's file (default: ENCORE_WEBHOOK_SECRET, else webhook-secret beside the store)")
    parser.add_argument("--webhook-attempts", type=int, default=8, help="attempts per webhook before giving up (default 8)")
    parser.add_argument("--webhook-backoff", type=float, default=2.0, metavar="S",
                        help="first retry after S seconds, doubled after each failure (default 2)")
    parser.add_argument("--schedule-poll", type=float, default=5.0, metavar="S",
                        help="in-process: how often due schedules are looked for (default 5)")
    parser.add_argument("--key-cache", type=float, default=0.0, metavar="S",
                        help="remember looked-up keys for S seconds (a revocation then takes up to S to apply)")
    parser.add_argument("--no-access-log", action="store_true", help="do not log each request")
    parser.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])


def run(args: argparse.Namespace) -> int:
    from .._server import LOG_FORMAT, ServerSettings, serve  # FastAPI and uvicorn load only for this command
    from .._store import default_store

    for name in ("concurrency", "webhook_attempts", "processes"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be at least 1")
    if not 0 <= args.worker_nice <= MAX_NICE:
        raise ValueError(f"--worker-nice {args.worker_nice}: expected 0 to {MAX_NICE}")
    if not 0 < args.port < 65536:
        raise ValueError(f"--port {args.port}: a port is 1 to 65535")
    logging.basicConfig(level=args.log_level.upper(), format=LOG_FORMAT)
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    settings = ServerSettings(
        store=args.store or default_store(), host=args.host, port=args.port, worker=args.worker,
        concurrency=args.concurrency, processes=args.processes, worker_nice=args.worker_nice, runs_dir=args.runs,
        deadline_s=args.deadline, heal_wait_s=args.heal_wait,
        webhook_secret_file=args.webhook_secret_file, webhook_attempts=args.webhook_attempts,
        webhook_backoff_s=args.webhook_backoff, key_cache_s=args.key_cache, schedule_poll_s=args.schedule_poll,
        access_log=not args.no_access_log,
    )
    if settings.processes > 1 and settings.worker_mode != "queue":
        raise ValueError(f"--processes {settings.processes}: several server processes need the queue (a PostgreSQL "
                         "store and separate `encore worker`s); the in-process worker lives in one process")
    if settings.worker_mode == "queue":
        from .._queue import require_postgresql
        from .._store import Store

        require_postgresql(Store(settings.store))
    serve(settings, log_level=args.log_level)
    return 0
