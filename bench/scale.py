"""Load test: 200 queued runs of a cached workflow on the example shop, with 1 and with 4 worker processes.

Each phase has its own PostgreSQL database (a throwaway server from the installed binaries). The login
workflow is recorded once (scripted model), then the shop's sign-in button is redesigned and 200 runs
are queued: the first runs diverge, one of them heals the slot (the model has exactly one answer for
it) and the others wait for that heal and use its repair, or replay the healed version. Workers run 2
browser contexts each. In the 4-worker phase one worker is SIGKILLed while it runs a run; its run must
be retried by another worker and complete. Throughput counts from the first run's start to the last
run's end; latency is queued -> finished (the queue wait included) and started -> finished (the run).

    .venv/bin/python -m bench.scale [--runs 200] [--concurrency 2]      # writes bench/SCALE.md
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from agent import AgentConfig
from encore import run_workflow
from encore._queue import ensure_schema, make_app
from encore._queue._submit import definition_of
from encore._queue._tasks import enqueue
from encore._store import Store
from encore._store._schema import versions
from encore._workflow import load_workflow
from examples.model import ScriptedModel, find
from examples.postgres import PostgresServer
from examples.site.server import PASSWORD, ExampleSite
from examples.workflows.answers import FIRST_RUN_ANSWERS
from tracer import write_atomic

from ._common import machine, markdown_table

ROOT = Path(__file__).resolve().parent.parent
LOGIN = ROOT / "examples" / "workflows" / "login.yaml"
HEADER = ["workers", "runs", "runs/min", "p50 queued→done s", "p95 queued→done s", "p50 run s", "p95 run s",
          "completed", "lost", "heals stored", "duplicate heals", "model calls"]


async def phase(server: PostgresServer, site: ExampleSite, model: ScriptedModel, workers: int, runs: int,
                concurrency: int, work: Path) -> dict[str, Any]:
    url = server.database(f"bench_{workers}_workers")
    store = Store(url)
    site.mutations = ()
    model.script(*FIRST_RUN_ANSWERS["login.yaml"])
    config = AgentConfig(model="gpt-4o-mini", api_key="k", base_url=model.url, vision=False, max_retries=2)
    first = await run_workflow(LOGIN, {"site": site.url, "password": PASSWORD}, cache=url, config=config,
                               runs_dir=work / "runs", playwright_trace=False)
    assert first.status == "succeeded", first.message
    site.mutations = ("redesigned_login",)  # the page changes: the slot needs one heal
    model.script(lambda request: {"element": find(request, "Continue", "button"), "confidence": 0.9, "reason": "submit"})
    calls_before = len(model.requests)

    workflow = load_workflow(LOGIN)
    app = make_app(store)
    ensure_schema(store)
    ids = [f"bench{workers}-{n:03d}" for n in range(runs)]
    async with app.open_async():
        for run_id in ids:
            store.runs.create(run_id, workflow.id, {"site": site.url}, definition=definition_of(workflow))
            await enqueue(app, store, run_id)

    env = {**os.environ, "PYTHONPATH": str(ROOT), "ENCORE_PARAM_PASSWORD": PASSWORD, "OPENAI_BASE_URL": model.url,
           "OPENAI_API_KEY": "k", "ENCORE_VISION": "0"}
    procs = {
        f"w{n}": subprocess.Popen(  # noqa: ASYNC220 - the workers are separate processes by design
            [sys.executable, "-m", "encore", "worker", "--store", url, "--concurrency", str(concurrency),
             "--name", f"w{n}", "--runs", str(work / "runs"), "--stalled-after", "10"],
            stdout=open(work / f"w{workers}-{n}.log", "w"), stderr=subprocess.STDOUT, env=env, cwd=work,  # noqa: ASYNC230, SIM115
        )
        for n in range(workers)
    }
    killed: dict[str, Any] = {}
    deadline = time.monotonic() + 1800
    try:
        while time.monotonic() < deadline:
            done = [r for r in store.runs.list(limit=runs + 10) if r.final]
            if len(done) >= runs:
                break
            if workers > 1 and not killed and len(done) >= runs // 4:
                running = [r for r in store.runs.list(status="running") if r.worker in procs]
                if running:
                    victim = running[0]
                    os.kill(procs[victim.worker].pid, signal.SIGKILL)
                    killed = {"worker": victim.worker, "run": victim.id}
            await asyncio.sleep(0.5)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()

    records = [store.runs.get(run_id) for run_id in ids]
    finished = [r for r in records if r.status == "completed"]
    with store.engine.connect() as connection:
        per_parent = connection.execute(
            select(versions.c.parent, func.count()).where(versions.c.parent.is_not(None)).group_by(versions.c.parent)
        ).all()
    span = max(r.finished_at or 0 for r in finished) - min(r.started_at or 0 for r in finished)
    e2e = [r.finished_at - r.queued_at for r in finished]  # type: ignore[operator]
    run_s = [r.finished_at - r.started_at for r in finished]  # type: ignore[operator]
    result = {
        "workers": workers, "runs": runs, "per_min": len(finished) / span * 60 if span > 0 else 0.0,
        "p50_e2e": _pct(e2e, 50), "p95_e2e": _pct(e2e, 95), "p50_run": _pct(run_s, 50), "p95_run": _pct(run_s, 95),
        "completed": len(finished), "lost": runs - len(finished),
        "heals": sum(count for _, count in per_parent), "duplicate_heals": sum(count - 1 for _, count in per_parent),
        "model_calls": len(model.requests) - calls_before,
        "statuses": sorted({r.status for r in records}),
        "reasons": sorted({r.reason for r in records if r.status != "completed"})[:5],
    }
    if killed:
        retried = store.runs.get(killed["run"])
        killed.update(status=retried.status, attempts=retried.attempts, finished_by=retried.worker)
        result["killed"] = killed
    return result


def _pct(values: list[float], pct: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _row(r: dict[str, Any]) -> list[str]:
    return [str(r["workers"]), str(r["runs"]), f"{r['per_min']:.1f}", f"{r['p50_e2e']:.1f}", f"{r['p95_e2e']:.1f}",
            f"{r['p50_run']:.2f}", f"{r['p95_run']:.2f}", str(r["completed"]), str(r["lost"]), str(r["heals"]),
            str(r["duplicate_heals"]), str(r["model_calls"])]


async def main_async(runs: int, concurrency: int) -> str:
    work = Path(tempfile.mkdtemp(prefix="encore-scale-"))
    with PostgresServer() as server, ScriptedModel() as model:
        site = ExampleSite().start()
        try:
            one = await phase(server, site, model, 1, runs, concurrency, work)
            print("1 worker:", one, flush=True)
            four = await phase(server, site, model, 4, runs, concurrency, work)
            print("4 workers:", four, flush=True)
        finally:
            site.stop()
    killed = four.get("killed", {})
    lines = [
        "# Load test: queued runs on workers",
        "",
        (f"Run on {datetime.date.today().isoformat()}, {machine()}, with `.venv/bin/python -m bench.scale"
         f" --runs {runs} --concurrency {concurrency}` ({concurrency} browser contexts per worker process)."),
        "",
        "\n".join(line for line in (__doc__ or "").strip().splitlines()[1:] if not line.strip().startswith(".venv")).strip(),
        "",
        markdown_table(HEADER, [_row(one), _row(four)]),
        "",
        (f"- Throughput, 4 workers ÷ 1 worker: **{four['per_min'] / one['per_min']:.2f}x** (both phases share this"
         " machine's 2 cores with the shop, PostgreSQL and the bench; Chromium is the bottleneck)."),
        (f"- SIGKILLed worker: `{killed.get('worker')}` while it ran `{killed.get('run')}`; that run ended"
         f" **{killed.get('status')}** after {killed.get('attempts')} attempts, finished by `{killed.get('finished_by')}`."),
        (f"- Lost runs: {one['lost']} and {four['lost']}; duplicate heals: {one['duplicate_heals']} and"
         f" {four['duplicate_heals']}; each phase stored {one['heals']} and {four['heals']} heal(s) with"
         f" {one['model_calls']} and {four['model_calls']} model call(s)."),
        "",
    ]
    if one["reasons"] or four["reasons"]:
        lines += ["Reasons of runs that did not complete: " + "; ".join(one["reasons"] + four["reasons"]), ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    report = asyncio.run(main_async(args.runs, args.concurrency))
    write_atomic(Path(__file__).parent / "SCALE.md", report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
