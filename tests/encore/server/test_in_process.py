"""The embedded server's in-process worker survives its server: a server SIGKILLed mid-run leaves the run to
the next server started on the same store, which runs it again (a second attempt) and delivers its webhook.
A server stopped (SIGTERM) mid-run gives the run its grace, then ends it canceled, and exits."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from encore._store import Store
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
