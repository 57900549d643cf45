"""An open-loop HTTP load generator: GET requests sent at a fixed rate, whatever the server's latency.

Run as its own process (`ENCORE_API_KEY=… python -m bench._load_generator URL PATHS_FILE --rate 500`), so
that it does not share an interpreter with the server. Request i is due at start + i/rate; its latency
counts from that moment, so a server that falls behind is charged for the wait of the requests queued
behind a slow one (no coordinated omission). Keep-alive HTTP/1.1 over raw asyncio streams: an HTTP
client library would cost more CPU per request than the server under test on this 2-core machine.
Prints one JSON object: requests sent, answered, errors, achieved rate, latency percentiles in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import statistics
import sys
import time
from urllib.parse import urlsplit

__all__ = ["generate"]


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def generate(url: str, key: str, paths: list[str], rate: float, duration_s: float, connections: int = 32) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {key}\r\nAccept: application/json\r\n\r\n".encode()
        for path in paths
    ]
    due: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []

    async def connection() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (ticket := await due.get()) is not None:
                scheduled, request = ticket
                try:
                    status = await _exchange(reader, writer, request)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    errors.append(type(exc).__name__)
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                latencies.append(time.perf_counter() - scheduled)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            writer.close()

    workers = [asyncio.create_task(connection()) for _ in range(connections)]
    total = int(rate * duration_s)
    cycle = itertools.cycle(requests)
    lags: list[float] = []  # how late the generator itself queued requests: its own share of the machine
    start = time.perf_counter() + 0.5
    issued = 0
    while issued < total:
        now = time.perf_counter()
        # Every request due by now is queued at once (with the time it was due), so a late wake-up of this
        # loop delays requests but never drops them or resets the clock.
        while issued < total and start + issued / rate <= now:
            scheduled = start + issued / rate
            lags.append(now - scheduled)
            due.put_nowait((scheduled, next(cycle)))
            issued += 1
        await asyncio.sleep(max(0.0, min(0.002, start + issued / rate - time.perf_counter())))
    for _ in workers:
        due.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000, 1) if ordered else float("nan")

    return {
        "sent": total, "answered": len(latencies), "errors": len(errors) + sum(n for s, n in statuses.items() if s != 200),
        "statuses": statuses, "seconds": round(elapsed, 1), "rate": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": pct(100),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else float("nan"),
        "generator_lag_p95_ms": round(sorted(lags)[int(0.95 * len(lags))] * 1000, 1) if lags else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench._load_generator")
    parser.add_argument("url")
    parser.add_argument("paths", help="a file with one request path per line")
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    with open(args.paths, encoding="utf-8") as file:
        paths = [line.strip() for line in file if line.strip()]
    key = os.environ["ENCORE_API_KEY"]  # not an argument: a process's arguments are visible to every user
    work = generate(args.url, key, paths, args.rate, args.duration, args.connections)
    try:
        import uvloop  # the server's loop too, when installed
    except ImportError:
        result = asyncio.run(work)
    else:
        result = uvloop.run(work)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
