"""`encore serve` as a real process on 127.0.0.1, for the session: on SQLite with its in-process worker (the
embedded default), and on PostgreSQL with the queue and a separate `encore worker` (the scale-out setup).

One example shop and one scripted model serve the whole session; tests use their own workflow ids, so
they share the servers without seeing each other's runs.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from codegen import compile_trace
from encore import Cache, Slot
from encore._store import Store
from encore._store._keys import ApiKeys
from examples.model import ScriptedModel
from examples.site.server import ExampleSite
from tracer import load_trace

from ...conftest import ROOT, TRACES

WEBHOOK_SECRET = "whsec_test-secret-for-the-session"
START_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen[Any], grace_s: float = 30.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@dataclass
class Server:
    """A running `encore serve`; `client(key)` talks to it, `log()` reads what it printed."""

    url: str
    store: str
    root: Path
    runs: Path
    backend: str
    log_path: Path
    processes: list[subprocess.Popen[Any]] = field(default_factory=list)

    def key(self, name: str = "test", *, read_only: bool = False) -> str:
        return ApiKeys(Store(self.store).engine).create(name, "read" if read_only else "full")[1]

    def client(self, key: str | None = None, **options: Any) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=options.pop("timeout", 150.0), **options)

    def log(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.root.glob("*.log")))

    def stop(self) -> None:
        for process in self.processes:
            stop_process(process)


def _environment(model: ScriptedModel, extra: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ENCORE_PARAM_")}
    return {
        **env, "PYTHONPATH": str(ROOT), "ENCORE_WEBHOOK_SECRET": WEBHOOK_SECRET, "OPENAI_BASE_URL": model.url,
        "OPENAI_API_KEY": "k", "ENCORE_VISION": "0", **extra,
    }


def start_server(root: Path, store: str, model: ScriptedModel, *, backend: str, worker: str | None = None,
                 args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> Server:
    """`encore serve` (and, with the queue, one `encore worker`) in `root`; returns once the server answers."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    runs = root / "runs"
    environment = _environment(model, env or {})
    command = [sys.executable, "-m", "encore", "serve", "--store", store, "--port", str(port), "--runs", str(runs),
               "--webhook-backoff", "0.3", "--webhook-attempts", "4", "--schedule-poll", "0.5", *args]
    if worker is not None:
        command += ["--worker", worker]
    server = Server(f"http://127.0.0.1:{port}", store, root, runs, backend, root / "serve.log")
    server.processes.append(subprocess.Popen(
        command, cwd=root, env=environment, stdout=open(root / "serve.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
    ))
    if worker == "queue":
        server.processes.append(subprocess.Popen(
            [sys.executable, "-m", "encore", "worker", "--store", store, "--concurrency", "2", "--runs", str(runs),
             "--stalled-after", "5", "--name", "w1"],
            cwd=root, env=environment, stdout=open(root / "worker.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
        ))
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if server.processes[0].poll() is not None:
            raise RuntimeError(f"encore serve exited ({server.processes[0].returncode}):\n{server.log()[-3000:]}")
        try:
            if httpx.get(f"{server.url}/openapi.json", timeout=5).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"encore serve did not answer in {START_TIMEOUT_S:g}s:\n{server.log()[-3000:]}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def api_model() -> Iterator[ScriptedModel]:
    """The scripted model every server of the session talks to; a test scripts exactly what it will ask."""
    with ScriptedModel() as server:
        yield server


@pytest.fixture(scope="session")
def api_site() -> Iterator[ExampleSite]:
    site = ExampleSite().start()
    yield site
    site.stop()


@pytest.fixture(scope="session")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory, api_model: ScriptedModel) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("serve-sqlite")
    server = start_server(root, str(root / ".encore" / "cache.sqlite"), api_model, backend="sqlite")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_api_server(
    tmp_path_factory: pytest.TempPathFactory, api_model: ScriptedModel, postgres_server: Any
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("serve-postgresql")
    server = start_server(root, postgres_server.database("api"), api_model, backend="postgresql", worker="queue")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest) -> Server:
    """The server on either backend: SQLite in-process, PostgreSQL with the queue and a separate worker."""
    return request.getfixturevalue("sqlite_server" if request.param == "sqlite" else "postgres_api_server")


def pages(site_url: str, workflow_id: str, *, pause_s: float = 0.0) -> dict[str, Any]:
    """A workflow that needs no model: open the shop's login page, wait, open the orders page."""
    return {
        "id": workflow_id,
        "parameters": [{"name": "site"}],
        "blocks": [
            {"label": "open", "kind": "goto", "url": "{{ site }}/login"},
            {"label": "pause", "kind": "wait", "seconds": pause_s},
            {"label": "orders", "kind": "goto", "url": "{{ site }}/orders"},
        ],
    }


def until(condition: Any, timeout_s: float = 120.0, every_s: float = 0.3) -> Any:
    """Poll `condition()` until it is truthy (its value), or fail."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every_s)
    raise AssertionError("timed out waiting")


def two_versions(server: Server, workflow: str) -> tuple[int, int]:
    """A recorded version of a slot and a heal of it that changed one selector."""
    cache = Cache(Store(server.store))
    slot = Slot(workflow, "key@0", "login")
    trace = load_trace(TRACES / "login.json")
    first = cache.add(slot, trace, compile_trace(trace).source, run_id="r-record", origin="agent")
    healed_script = compile_trace(trace).source.replace('"#login-button"', '"#sign-in"')
    second = cache.add(slot, trace, healed_script, run_id="r-heal", origin="healed_element", parent=first.version)
    return first.id, second.id


class Receiver:
    """An HTTP endpoint on 127.0.0.1 answering from a list of statuses (the last one repeats)."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/encore"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made: list[Receiver] = []

    def make(*statuses: int) -> Receiver:
        made.append(Receiver(*statuses))
        return made[-1]

    yield make  # type: ignore[misc]
    for r in made:
        r.close()
