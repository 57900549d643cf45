"""`encore.Client` against a real server: runs, long polls, artefacts, cache versions, schedules and stored
workflows as typed objects; each refusal as its own exception, naming what is wrong."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import yaml

import encore
from encore import (
    AuthenticationError,
    Client,
    ConflictError,
    InvalidRequestError,
    NotFoundError,
    PermissionDeniedError,
)
from examples.site.server import ExampleSite

from .conftest import Server, pages, two_versions


def test_the_client_runs_a_stored_workflow_and_reads_everything_back(
    sqlite_server: Server, api_site: ExampleSite, tmp_path: Path
) -> None:
    definition = tmp_path / "pages.yaml"
    definition.write_text(yaml.safe_dump(pages(api_site.url, "client-pages")))
    first, second = two_versions(sqlite_server, "client-cached")
    with Client(sqlite_server.url, sqlite_server.key("client")) as client:
        stored = client.workflows.put(definition)
        assert stored.id == "client-pages" and [p["name"] for p in stored.parameters] == ["site"]
        assert client.workflows.get("client-pages").definition["blocks"][1]["kind"] == "wait"

        run = client.runs.create("client-pages", params={"site": api_site.url})
        assert run.status == "queued" and not run.final
        done = client.runs.wait(run.id, timeout=300)
        assert done.status == "completed" and done.final and [b.mode for b in done.blocks] == ["live"] * 3
        assert client.runs.get(run.id, wait=1).finished_at == done.finished_at
        assert run.id in [r.id for r in client.runs.list(workflow="client-pages", status=["completed"]).runs]
        assert f"Encore run <code>{run.id}</code>" in client.runs.report(run.id)
        assert zipfile.ZipFile(io.BytesIO(client.runs.trace(run.id))).namelist()
        assert client.runs.result(run.id)["status"] == "succeeded"

        assert [v.id for v in client.cache.versions(workflow="client-cached")] == [first, second]
        assert "#sign-in" in (client.cache.version(second).script or "")
        assert client.cache.diff(second).from_id == first
        assert client.cache.pin(second).pinned and not client.cache.unpin(second).pinned
        assert client.cache.trace(first)["id"] == "login"

        schedule = client.schedules.create("15 4 * * *", workflow="client-pages", params={"site": api_site.url})
        assert client.schedules.pause(schedule.id).paused and not client.schedules.resume(schedule.id).paused
        assert client.schedules.update(schedule.id, cron="0 5 * * *").cron == "0 5 * * *"
        client.schedules.delete(schedule.id)

        with pytest.raises(NotFoundError, match="no run with id nope"):
            client.runs.get("nope")
        with pytest.raises(ConflictError, match="already completed"):
            client.runs.cancel(run.id)
        with pytest.raises(InvalidRequestError) as invalid:
            client.runs.create("client-pages", params={"site": api_site.url}, run_with="robot")
        assert invalid.value.status_code == 422 and invalid.value.errors[0]["loc"] == ["body", "run_with"]
        with pytest.raises(NotFoundError):
            client.schedules.get(schedule.id)
        client.workflows.delete("client-pages")

    with pytest.raises(AuthenticationError, match="unknown API key"), Client(sqlite_server.url, "ek_nope") as stranger:
        stranger.runs.list()
    reader = sqlite_server.key("reader", read_only=True)
    with pytest.raises(PermissionDeniedError, match="read-only"), Client(sqlite_server.url, reader) as read_only:
        read_only.cache.pin(first)


def test_a_client_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENCORE_API_KEY", raising=False)
    with pytest.raises(ValueError, match="ENCORE_API_KEY"):
        encore.Client("http://127.0.0.1:9")
    monkeypatch.setenv("ENCORE_API_KEY", "ek_from_env")
    with encore.Client("http://127.0.0.1:9") as client:
        assert client._http.headers["Authorization"] == "Bearer ek_from_env"
