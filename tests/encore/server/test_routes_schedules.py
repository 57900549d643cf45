"""`/v1/schedules` on a real server: create, list, read, edit, pause, delete; bad cron or time zone and a
secret parameter are refused naming the field; in the embedded setup a due schedule fires its run."""

from __future__ import annotations

import time

from sqlalchemy import update

from encore._store import Store
from encore._store._schema import schedules
from examples.site.server import ExampleSite

from .conftest import Server, pages, until


def test_schedules_are_created_edited_paused_and_deleted(api: Server, api_site: ExampleSite) -> None:
    workflow = f"nightly-{api.backend}"
    with api.client(api.key()) as client:
        assert client.put(f"/v1/workflows/{workflow}", json=pages(api_site.url, workflow)).status_code == 201
        created = client.post("/v1/schedules", json={"cron": "0 6 * * 1-5", "workflow": workflow, "timezone": "Europe/Paris",
                                                      "params": {"site": api_site.url}})
        assert created.status_code == 201, created.text
        schedule = created.json()
        assert (schedule["cron"], schedule["timezone"], schedule["paused"]) == ("0 6 * * 1-5", "Europe/Paris", False)
        assert created.headers["location"] == f"/v1/schedules/{schedule['id']}"
        assert schedule["id"] in [s["id"] for s in client.get("/v1/schedules").json()]

        edited = client.patch(f"/v1/schedules/{schedule['id']}", json={"cron": "30 7 * * *", "timezone": "UTC"}).json()
        assert edited["cron"] == "30 7 * * *" and edited["next_fire_at"].endswith("07:30:00Z")
        paused = client.patch(f"/v1/schedules/{schedule['id']}", json={"paused": True}).json()
        assert paused["paused"] and not client.patch(f"/v1/schedules/{schedule['id']}", json={"paused": False}).json()["paused"]

        def field(body: dict, method: str = "POST", path: str = "/v1/schedules") -> list:
            response = client.request(method, path, json=body)
            assert response.status_code == 422, response.text
            return response.json()["detail"][0]["loc"]

        assert field({"cron": "every day", "workflow": workflow, "params": {"site": "x"}}) == ["body", "cron"]
        assert field({"cron": "0 6 * * *", "timezone": "Mars/Olympus", "workflow": workflow, "params": {"site": "x"}}) == [
            "body", "timezone"]
        assert field({"cron": "0 6 * * *", "workflow": workflow}) == ["body", "params", "site"]
        assert field({"cron": "0 6 * * *"}) == ["body"]
        assert field({"cron": "61 * * * *"}, "PATCH", f"/v1/schedules/{schedule['id']}") == ["body", "cron"]
        secret = {**pages(api_site.url, "with-secret"), "parameters": [{"name": "site"}, {"name": "token", "secret": True}]}
        assert field({"cron": "0 6 * * *", "definition": secret, "params": {"site": "x", "token": "t0ps3cret"}}) == [
            "body", "params", "token"]

        assert client.delete(f"/v1/schedules/{schedule['id']}").status_code == 204
        assert client.get(f"/v1/schedules/{schedule['id']}").status_code == 404


def test_a_due_schedule_fires_its_run_on_the_embedded_server(sqlite_server: Server, api_site: ExampleSite) -> None:
    with sqlite_server.client(sqlite_server.key()) as client:
        schedule = client.post("/v1/schedules", json={
            "cron": "*/5 * * * *", "definition": pages(api_site.url, "every-five"), "params": {"site": api_site.url},
        }).json()
        with Store(sqlite_server.store).engine.begin() as connection:  # its tick is due now
            connection.execute(update(schedules).where(schedules.c.id == schedule["id"]).values(next_fire_at=time.time() - 1))
        fired = until(lambda: client.get("/v1/runs", params={"schedule_id": schedule["id"]}).json()["runs"])
        done = client.get(f"/v1/runs/{fired[0]['id']}", params={"wait": 110}).json()
        assert done["status"] == "completed" and done["schedule_id"] == schedule["id"]
        assert client.get(f"/v1/schedules/{schedule['id']}").json()["last_run_id"] == done["id"]
        client.delete(f"/v1/schedules/{schedule['id']}")
