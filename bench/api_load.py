"""Load check of the HTTP API: `GET /v1/runs/{id}` at 500 requests per second for 30 s, while workers run.

Three setups, each a real `encore serve` on 127.0.0.1 with its defaults: the embedded default (SQLite, the
in-process worker running 2 runs at once), scale-out (PostgreSQL, the server queueing for 2 separate
`encore worker` processes of 2 browser contexts each, on the same 2 cores), and scale-out with 2 server
processes on the port (`postgresql-2`: `encore serve --processes 2`). Each is loaded idle (the baseline:
no run in flight), then busy (a feeder keeps every worker slot taken with runs of a workflow that opens the
example shop, waits 2 s and opens another page). Every request carries a full-scope API key, checked on every
request (no key cache), and the access log is on. Workers run at their default priority, 10 nice levels
below the API (`--worker-nice`, `encore worker --nice`).

Two load shapes, one after the other in each phase:
- steady: 500 requests/s evenly spaced, open loop (`bench/_load_generator.py`: a request's latency counts
  from the moment it was due, so a stalled server is charged for the requests queued behind it), cycling
  over finished runs and, when busy, the runs in flight. This is the target's "500 per second sustained".
- bursts: `hey` (Debian's package, Go), 50 clients of 10 requests/s each on one run (in flight when busy).
  hey's clients tick in step, so every 100 ms all 50 requests arrive at once and its latencies are those
  of draining a 50-request burst: a harsher shape than the target's, reported beside it.
A closed-loop cross-check with `wrk` (8 connections, as fast as the server answers) follows the busy phase
when it is installed. "server CPU" is the API process's CPU time per answered request (from /proc): unlike
the latencies, it hardly depends on what else the machine runs. Target: p95 < 50 ms at 500 requests/s
with workers running.

    .venv/bin/python -m bench.api_load [--rate 500] [--duration 30] [--setups sqlite,postgresql,postgresql-2]   # writes bench/API_LOAD.md
"""

from __future__ import annotations

import argparse
import contextlib
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
HEADER = ["setup", "phase", "load", "requests/s asked", "answered/s", "p50 ms", "p95 ms", "p99 ms", "max ms",
          "errors", "server CPU ms/request", "runs finished meanwhile", "p95 < 50 ms"]


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


def _hey(url: str, key: str, path: str, rate: float, duration: float) -> dict[str, Any]:
    workers = 50
    out = subprocess.run(
        ["hey", "-z", f"{duration:g}s", "-c", str(workers), "-q", f"{rate / workers:g}", "-t", "20",
         "-H", f"Authorization: Bearer {key}", f"{url}{path}"],
        check=False, capture_output=True, text=True, timeout=duration + 120,
    ).stdout

    def seconds(pattern: str) -> float:
        match = re.search(pattern, out, re.MULTILINE)
        return float(match.group(1)) * 1000 if match else float("nan")

    answered = sum(int(n) for n in re.findall(r"\[200\]\s+(\d+) responses", out))
    others = sum(int(n) for code, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", out) if code != "200")
    errors = sum(int(n) for n in re.findall(r"\[(\d+)\]\s+Get ", out))
    rate_match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return {"tool": f"hey ({workers} workers)", "answered": answered, "errors": others + errors,
            "rate": float(rate_match.group(1)) if rate_match else float("nan"),
            "p50_ms": seconds(r"^\s+50%+ in ([\d.]+) secs"), "p95_ms": seconds(r"^\s+95%+ in ([\d.]+) secs"),
            "p99_ms": seconds(r"^\s+99%+ in ([\d.]+) secs"), "max_ms": seconds(r"Slowest:\s+([\d.]+) secs")}


def _steady(url: str, key: str, paths: list[str], rate: float, duration: float, work: Path) -> dict[str, Any]:
    listing = work / "paths.txt"
    listing.write_text("\n".join(paths) + "\n")
    return {"tool": f"steady, open loop ({len(paths)} runs)", **_generate(url, key, listing, rate, duration)}


class _CPU:
    """CPU seconds (user + system) a server has used so far: its process and, with several, the ones it started."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    @staticmethod
    def _of(pid: int) -> float:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __call__(self) -> float:
        children = [int(child) for task in Path(f"/proc/{self.pid}/task").iterdir()
                    for child in (task / "children").read_text().split()]
        return self._of(self.pid) + sum(self._of(child) for child in children)


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
    postgres = PostgresServer().start() if name.startswith("postgresql") else None
    processes: list[subprocess.Popen[Any]] = []
    try:
        store = postgres.database("bench") if postgres else str(root / "cache.sqlite")
        key = ApiKeys(Store(store).engine).create("bench")[1]
        port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "encore", "serve", "--store", store, "--port", str(port), "--runs", str(root / "runs"),
                   *(["--processes", "2"] if name == "postgresql-2" else [])]
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
        cpu = _CPU(processes[0].pid)

        def measured(phase: str, paths: list[str], hot: Any) -> list[dict[str, Any]]:
            rows = []
            for shape in ("steady", "bursts"):
                before = cpu()
                if shape == "steady":
                    result = _steady(url, key, paths, rate, duration, root)
                elif shutil.which("hey"):
                    result = {**_hey(url, key, hot(), rate, duration), "tool": "bursts of 50 (hey), one run"}
                else:
                    continue
                used = cpu() - before
                rows.append({"setup": name, "phase": phase, "runs": 0, **result,
                             "cpu_ms": used / result["answered"] * 1000 if result["answered"] else float("nan")})
            return rows

        finished = [f"/v1/runs/{run_id}" for run_id in seeded]
        rows = measured("idle (baseline)", finished, lambda: finished[-1])
        # A backlog long enough to keep every slot busy through both loads and wrk: the steady load polls
        # these runs (queued, running, then finished, as a busy server's clients see theirs) and the finished ones.
        backlog = [client.runs.create(workflow="bench-pages", params={"site": site.url}).id
                   for _ in range(int(slots * (2 * duration + 15) / 2.5))]
        feeder = Feeder(client, site.url, slots)  # tops up if the backlog runs out
        feeder.start()
        while len(client.runs.list(status="running").runs) < slots:
            time.sleep(0.2)
        done_before = {r.id for r in client.runs.list(status="completed", limit=500).runs}

        def in_flight() -> str:
            running = client.runs.list(status="running", limit=1).runs
            return f"/v1/runs/{running[0].id}" if running else f"/v1/runs/{backlog[-1]}"

        busy = measured(f"busy ({slots} runs at once)", finished + [f"/v1/runs/{i}" for i in backlog], in_flight)
        done = len({r.id for r in client.runs.list(status="completed", limit=500).runs} - done_before)
        for row in busy:
            row["runs"] = f"{done} (both loads)"
        rows += busy
        before = cpu()
        checked = _wrk(url, key, seeded + backlog, 15)
        feeder.stopping.set()
        feeder.join(30)
        for run_id in backlog + feeder.ids:  # what is still queued is not left for the next setup's machine time
            with contextlib.suppress(Exception):
                client.runs.cancel(run_id)
        if checked:
            rows.append({"setup": name, "phase": "busy", "tool": "wrk, closed loop (8 connections)", "runs": "",
                         "rate": checked["rate"], "asked": "as fast as answered", "p50_ms": checked["p50_ms"],
                         "p95_ms": f"(p90 {checked['p90_ms']:.1f})", "p99_ms": checked["p99_ms"], "max_ms": "",
                         "errors": checked["errors"], "cpu_ms": (cpu() - before) / max(1.0, checked["rate"] * 15) * 1000})
        for row in rows:
            row.setdefault("asked", f"{rate:g}")
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

    def number(value: Any) -> str:
        return value if isinstance(value, str) else f"{value:.1f}"

    return [r["setup"], r["phase"], r["tool"], str(r["asked"]), f"{r['rate']:.0f}", number(r["p50_ms"]),
            number(r["p95_ms"]), number(r["p99_ms"]), number(r["max_ms"]), str(r["errors"]), f"{r['cpu_ms']:.2f}",
            str(r["runs"]), meets]


def _load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api_load")
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--setups", default="sqlite,postgresql,postgresql-2")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    work = Path(tempfile.mkdtemp(prefix="encore-api-load-"))
    site = ExampleSite().start()
    load_before = _load_average()
    rows: list[dict[str, Any]] = []
    try:
        for name in args.setups.split(","):
            print(f"{name} ...")
            rows += setup(name, args.rate, args.duration, work, site)
            print(json.dumps(rows[-5:], default=str))
    finally:
        site.stop()
    ratios = []
    for name in args.setups.split(","):
        for shape in ("steady", "bursts"):
            pair = [r for r in rows if r["setup"] == name and r["tool"].startswith(shape)]
            if len(pair) == 2:
                idle, busy = pair
                ratios.append(f"- {name}, {shape}: p95 busy ÷ idle = **{busy['p95_ms'] / idle['p95_ms']:.2f}x**"
                              f" ({busy['p95_ms']:.1f} ms ÷ {idle['p95_ms']:.1f} ms)")
    doc = "\n".join(line for line in (__doc__ or "").strip().splitlines()[1:] if not line.strip().startswith(".venv"))
    report = "\n".join([
        "# Load check: the HTTP API while workers run",
        "",
        (f"Run on {datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, {machine()}, with `.venv/bin/python -m"
         f" bench.api_load --rate {args.rate:g} --duration {args.duration:g}`. Load average (1/5/15 min) before:"
         f" {load_before}; after: {_load_average()}."),
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
