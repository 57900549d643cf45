"""Load check of the HTTP API: `GET /v1/runs/{id}` at 500 requests per second for 30 s, while workers run.

Two setups, each a real `encore serve` on 127.0.0.1: the embedded default (SQLite, the in-process worker
running 2 runs at once) and scale-out (PostgreSQL, the server queueing for 2 separate `encore worker`
processes of 2 browser contexts each). Each is loaded twice in one run: idle (the baseline: no run in
flight), then busy (a feeder keeps every worker slot taken with runs of a workflow that opens the example
shop, waits 2 s and opens another page). The requests read the runs made so far, round robin, with a
full-scope API key checked on every request (no key cache) and the access log on: the default setup.
The load comes from `bench/_load_generator.py` in its own process, open loop (latency counted from when
each request was due). When `wrk` is installed, a closed-loop cross-check (8 connections, as fast as the
server answers, busy phase) follows. Target: p95 < 50 ms at 500 requests/s with workers running.

    .venv/bin/python -m bench.api_load [--rate 500] [--duration 30] [--setups sqlite,postgresql]   # writes bench/API_LOAD.md
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from encore import Client
from encore._store import Store
from encore._store._keys import ApiKeys
from examples.postgres import PostgresServer
from examples.site.server import ExampleSite
from tracer import write_atomic

from ._common import machine, markdown_table

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["setup", "phase", "requests/s asked", "answered/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
          "runs finished meanwhile", "generator lag p95 ms", "p95 < 50 ms"]


def _workflow(site: str) -> dict[str, Any]:
    return {
        "id": "bench-pages",
        "parameters": [{"name": "site"}],
        "blocks": [
            {"label": "open", "kind": "goto", "url": "{{ site }}/login"},
            {"label": "pause", "kind": "wait", "seconds": 2},
            {"label": "orders", "kind": "goto", "url": "{{ site }}/orders"},
        ],
    }


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Feeder(threading.Thread):
    """Keeps `slots` runs queued or running until stopped; counts the runs that finished."""

    def __init__(self, client: Client, site: str, slots: int) -> None:
        super().__init__(daemon=True)
        self.client, self.site, self.slots = client, site, slots
        self.stopping = threading.Event()
        self.ids: list[str] = []

    def run(self) -> None:
        while not self.stopping.is_set():
            busy = self.client.runs.list(status=["queued", "running"], limit=100).runs
            for _ in range(self.slots - len(busy)):
                self.ids.append(self.client.runs.create(workflow="bench-pages", params={"site": self.site}).id)
            self.stopping.wait(0.5)


def _generate(url: str, key: str, paths: Path, rate: float, duration: float) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "bench._load_generator", url, str(paths), "--rate", str(rate), "--duration", str(duration)],
        check=False, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "ENCORE_API_KEY": key},
        timeout=duration + 120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _wrk(url: str, key: str, ids: list[str], seconds: int) -> dict[str, Any] | None:
    if shutil.which("wrk") is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        listed = ", ".join(json.dumps(i) for i in ids)
        script.write(f'ids = {{{listed}}}\nwrk.headers["Authorization"] = "Bearer " .. os.getenv("ENCORE_API_KEY")\n'
                     'request = function() return wrk.format("GET", "/v1/runs/" .. ids[math.random(#ids)]) end\n')
    out = subprocess.run(["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency", "-s", script.name, url],
                         check=False, capture_output=True, text=True, env={**os.environ, "ENCORE_API_KEY": key}).stdout
    os.unlink(script.name)

    def ms(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)", out, re.MULTILINE)
        if not match:
            return float("nan")
        return float(match.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rate": float(rate.group(1)) if rate else float("nan"), "p50_ms": ms("50"), "p90_ms": ms("90"),
            "p99_ms": ms("99"), "errors": int(errors.group(1)) if errors else 0}


def setup(name: str, rate: float, duration: float, work: Path, site: ExampleSite) -> list[dict[str, Any]]:
    root = work / name
    root.mkdir()
    postgres = PostgresServer().start() if name == "postgresql" else None
    processes: list[subprocess.Popen[Any]] = []
    try:
        store = postgres.database("bench") if postgres else str(root / "cache.sqlite")
        key = ApiKeys(Store(store).engine).create("bench")[1]
        port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "encore", "serve", "--store", store, "--port", str(port), "--runs", str(root / "runs")]
        processes.append(subprocess.Popen(command, cwd=root, env=env, stdout=open(root / "serve.log", "w"),  # noqa: SIM115
                                          stderr=subprocess.STDOUT))
        slots = 2
        if postgres:
            for n in range(2):
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "encore", "worker", "--store", store, "--concurrency", "2", "--name", f"w{n}",
                     "--runs", str(root / "runs")],
                    cwd=root, env=env, stdout=open(root / f"w{n}.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
                ))
            slots = 4
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/openapi.json", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.3)
        client = Client(url, key, timeout=180)
        client.workflows.put(_workflow(site.url))
        seeded = [client.runs.create(workflow="bench-pages", params={"site": site.url}).id for _ in range(slots * 2)]
        for run_id in seeded:
            assert client.runs.wait(run_id, 300).status == "completed", client.runs.get(run_id)
        paths = root / "paths.txt"
        paths.write_text("\n".join(f"/v1/runs/{run_id}" for run_id in seeded) + "\n")

        rows = []
        idle = _generate(url, key, paths, rate, duration)
        rows.append({"setup": name, "phase": "idle (baseline)", "runs": 0, **idle})
        feeder = Feeder(client, site.url, slots)
        feeder.start()
        while len(client.runs.list(status="running").runs) < slots:
            time.sleep(0.5)
        paths.write_text("\n".join(f"/v1/runs/{run_id}" for run_id in seeded + feeder.ids) + "\n")
        before = {r.id for r in client.runs.list(status="completed", limit=500).runs}
        busy = _generate(url, key, paths, rate, duration)
        finished = {r.id for r in client.runs.list(status="completed", limit=500).runs} - before
        rows.append({"setup": name, "phase": f"busy ({slots} runs at once)", "runs": len(finished), **busy})
        checked = _wrk(url, key, seeded + feeder.ids, 15)
        feeder.stopping.set()
        feeder.join(30)
        if checked:
            rows.append({"setup": name, "phase": "busy, wrk closed loop (8 connections)", "runs": "", "rate": checked["rate"],
                         "asked": "as fast as answered", "p50_ms": checked["p50_ms"], "p95_ms": f"(p90 {checked['p90_ms']:.1f})",
                         "p99_ms": checked["p99_ms"], "max_ms": "", "errors": checked["errors"]})
        for row in rows:
            row.setdefault("asked", rate)
        client.close()
        return rows
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
        if postgres:
            postgres.stop()


def _row(r: dict[str, Any]) -> list[str]:
    meets = "" if not isinstance(r["p95_ms"], float) else ("yes" if r["p95_ms"] < 50 else "no")
    return [r["setup"], r["phase"], str(r["asked"]), f"{r['rate']:.0f}", f"{r['p50_ms']:.1f}",
            r["p95_ms"] if isinstance(r["p95_ms"], str) else f"{r['p95_ms']:.1f}", f"{r['p99_ms']:.1f}",
            r["max_ms"] if isinstance(r["max_ms"], str) else f"{r['max_ms']:.1f}", str(r["errors"]), str(r["runs"]),
            str(r.get("generator_lag_p95_ms", "")), meets]


def _load() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api_load")
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--setups", default="sqlite,postgresql")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    work = Path(tempfile.mkdtemp(prefix="encore-api-load-"))
    site = ExampleSite().start()
    load_before = _load()
    rows: list[dict[str, Any]] = []
    try:
        for name in args.setups.split(","):
            print(f"{name} ...")
            rows += setup(name, args.rate, args.duration, work, site)
            print(json.dumps(rows[-3:], default=str))
    finally:
        site.stop()
    ratios = []
    for name in args.setups.split(","):
        idle, busy = (r for r in rows if r["setup"] == name and "wrk" not in r["phase"])
        ratios.append(f"- {name}: p95 busy ÷ idle = **{busy['p95_ms'] / idle['p95_ms']:.2f}x**"
                      f" ({busy['p95_ms']:.1f} ms ÷ {idle['p95_ms']:.1f} ms)")
    doc = "\n".join(line for line in (__doc__ or "").strip().splitlines()[1:] if not line.strip().startswith(".venv"))
    report = "\n".join([
        "# Load check: the HTTP API while workers run",
        "",
        (f"Run on {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, {machine()}, with `.venv/bin/python -m"
         f" bench.api_load --rate {args.rate:g} --duration {args.duration:g}`. Load average (1/5/15 min) before:"
         f" {load_before}; after: {_load()}."),
        "",
        doc.strip(),
        "",
        markdown_table(HEADER, [_row(r) for r in rows]),
        "",
        *ratios,
        "",
    ])
    write_atomic(Path(__file__).parent / "API_LOAD.md", report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
