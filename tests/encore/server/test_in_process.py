"""The embedded server's in-process worker survives its server: a server SIGKILLed mid-run leaves the run to
the next server started on the same store, which runs it again (a second attempt) and delivers its webhook.
A server stopped (SIGTERM) mid-run gives the run its grace, then ends it canceled, and exits. A cancel that
crosses the worker's claim of the run still stops it."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import pytest

from encore._server._in_process import InProcessWorker
from encore._server._problems import Problem
from encore._store import RunRecord, Store
from examples.model import ScriptedModel
from examples.site.server import ExampleSite

from .conftest import Receiver, pages, start_server, until


def test_a_restarted_server_takes_over_the_runs_of_the_one_that_died(
    tmp_path: Path, api_model: ScriptedModel, api_site: ExampleSite
) -> None:
    store = str(tmp_path / "store.sqlite")
    hook = Receiver(200)
    first = start_server(tmp_path / "first", store, api_model, backend="sqlite")
    try:
        with first.client(first.key()) as client:
            run = client.post("/v1/runs", json={"definition": pages(api_site.url, "survivor", pause_s=3),
                                                "params": {"site": api_site.url}, "webhook_url": hook.url}).json()
            until(lambda: client.get(f"/v1/runs/{run['id']}").json()["status"] == "running")
        os.kill(first.processes[0].pid, signal.SIGKILL)
        first.processes[0].wait(30)

        second = start_server(tmp_path / "second", store, api_model, backend="sqlite")
        try:
            with second.client(second.key()) as client:
                done = client.get(f"/v1/runs/{run['id']}", params={"wait": 110}).json()
                assert done["status"] == "completed", (done, second.log()[-3000:])
                assert done["attempts"] == 2 and done["worker"].endswith(f":{second.processes[0].pid}")
                until(lambda: client.get(f"/v1/runs/{run['id']}").json()["webhooks"][0]["state"] == "delivered")
            assert "is queued again" in second.log()
        finally:
            second.stop()
    finally:
        first.stop()
        hook.close()
    assert len(hook.received) == 1


def test_a_server_stopped_mid_run_ends_the_run_canceled_and_exits(
    tmp_path: Path, api_model: ScriptedModel, api_site: ExampleSite
) -> None:
    store = str(tmp_path / "store.sqlite")
    server = start_server(tmp_path / "serve", store, api_model, backend="sqlite")
    try:
        with server.client(server.key()) as client:
            run = client.post("/v1/runs", json={"definition": pages(api_site.url, "stopped", pause_s=300),
                                                "params": {"site": api_site.url}}).json()
            until(lambda: client.get(f"/v1/runs/{run['id']}").json()["status"] == "running")
    finally:
        server.stop()  # SIGTERM; killed if it has not exited 30 s later
    # uvicorn ends by raising the signal it stopped on again; a kill after the 30 s would be -SIGKILL.
    assert server.processes[0].returncode in (0, -signal.SIGTERM), server.log()[-3000:]
    assert "Application shutdown complete" in server.log()
    record = Store(store).runs.get(run["id"])
    assert (record.status, record.reason) == ("canceled", "canceled while running"), server.log()[-3000:]


def _worker(tmp_path: Path) -> tuple[Store, InProcessWorker]:
    """A store and its in-process worker, as `encore serve` makes them (not started)."""
    store = Store(tmp_path / "store.sqlite")
    return store, InProcessWorker(store, concurrency=1, runs_dir=tmp_path / "runs", deadline_s=None,
                                  heal_wait_s=5.0, schedule_poll_s=60.0, on_final=lambda _run_id: None, nice=0)


async def test_a_cancel_read_while_queued_stops_the_run_the_worker_claimed_meanwhile(
    tmp_path: Path, api_site: ExampleSite
) -> None:
    # The API reads the run (queued), the worker claims it, then the cancel's flag is written: the interleaving
    # of the server's "queued, then canceled" request that once left such a run running for its whole pause.
    store, worker = _worker(tmp_path)
    await worker.start()
    try:
        definition = pages(api_site.url, "claimed-meanwhile", pause_s=300)
        record = store.runs.create("r-claimed", "claimed-meanwhile", {"site": api_site.url}, definition=definition)
        assert record is not None and record.status == "queued"
        worker.assign(record.id)
        loop, request_cancel = asyncio.get_running_loop(), store.runs.request_cancel

        def request_cancel_once_claimed(run_id: str) -> RunRecord:
            asyncio.run_coroutine_threadsafe(worker.submit(run_id, {}), loop).result(10)
            until(lambda: store.runs.get(run_id).status == "running", timeout_s=60, every_s=0.05)
            return request_cancel(run_id)

        store.runs.request_cancel = request_cancel_once_claimed  # type: ignore[method-assign]
        accepted = await worker.cancel(record)
        assert accepted.cancel_requested and accepted.status == "running"
        ended = await store.runs.wait(record.id, timeout_s=60)
        assert (ended.status, ended.reason) == ("canceled", "canceled while running")
    finally:
        await worker.stop()


async def test_a_run_of_another_process_is_not_flagged_but_refused(tmp_path: Path) -> None:
    store, worker = _worker(tmp_path)
    elsewhere = store.runs.create("r-elsewhere", "w", {}, status="running")  # `encore run`: no worker named
    assert elsewhere is not None
    with pytest.raises(Problem) as refused:
        await worker.cancel(elsewhere)
    assert refused.value.status == 409
    assert str(refused.value) == "run r-elsewhere runs in another process (encore run): stop it there"
    assert not store.runs.get("r-elsewhere").cancel_requested
