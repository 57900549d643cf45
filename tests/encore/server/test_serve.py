"""`encore serve --processes 2` on PostgreSQL: two server processes answer on one port, a revoked key is refused
at once by both (no key is remembered), a run goes through the queue to completion, and stopping the server
stops every process."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from encore._store import Store
from encore._store._keys import ApiKeys
from examples.model import ScriptedModel
from examples.site.server import ExampleSite

from .conftest import pages, start_server


def _server_processes(pid: int) -> list[int]:
    """The processes uvicorn started to serve (not multiprocessing's resource tracker)."""
    children = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    return [child for child in children if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()]


def test_two_server_processes_share_the_port_and_the_store(
    tmp_path: Path, api_model: ScriptedModel, postgres_server: Any, api_site: ExampleSite
) -> None:
    store = postgres_server.database("processes")
    server = start_server(tmp_path / "serve", store, api_model, backend="postgresql", worker="queue",
                          args=("--processes", "2"))
    try:
        supervisor = server.processes[0].pid
        children = _server_processes(supervisor)
        assert len(children) == 2, children
        keys = ApiKeys(Store(store).engine)
        record, key = keys.create("two")
        with server.client(key) as client:
            run = client.post("/v1/runs", json={"definition": pages(api_site.url, "two-processes"),
                                                "params": {"site": api_site.url}})
            assert run.status_code == 201, run.text
            run_id = run.json()["id"]

        def poll(_: int) -> int:
            # A new connection each time: the processes take turns accepting them.
            with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as one:
                return one.get(f"/v1/runs/{run_id}").status_code

        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(poll, range(400))) == {200}
        polled = [line.split()[2] for line in server.log().splitlines() if f"GET /v1/runs/{run_id} 200" in line]
        assert {int(pid) for pid in polled} == set(children), "one process answered everything"  # the pid is logged

        with server.client(key) as client:
            done = client.get(f"/v1/runs/{run_id}", params={"wait": 110}).json()
            assert done["status"] == "completed", (done, server.log()[-3000:])
        keys.revoke(record.id)
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(poll, range(40))) == {403}  # at once, whichever process answers
    finally:
        server.stop()
    for child in children:
        assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
