"""`/v1/runs` on a real server, on SQLite (in-process worker) and PostgreSQL (queue, separate worker): a run
long-polled to its final status, listed and filtered, its artefacts; bad bodies name the field; an unknown
run is 404; a run canceled while it runs ends canceled."""

from __future__ import annotations

import io
import json
import zipfile

from examples.model import ScriptedModel, act
from examples.site.server import ExampleSite

from .conftest import Server, pages, until


def test_a_run_is_queued_long_polled_to_completed_listed_and_its_artefacts_served(api: Server, api_site: ExampleSite) -> None:
    workflow = f"pages-{api.backend}"
    with api.client(api.key()) as client:
        created = client.post("/v1/runs", json={"definition": pages(api_site.url, workflow), "params": {"site": api_site.url}})
        assert created.status_code == 201, created.text
        run = created.json()
        assert run["status"] == "queued" and not run["final"] and created.headers["location"] == f"/v1/runs/{run['id']}"
        assert run["params"] == {"site": api_site.url} and run["workflow"] == workflow

        done = client.get(f"/v1/runs/{run['id']}", params={"wait": 110}).json()
        assert done["status"] == "completed", (done, api.log()[-3000:])
        assert done["final"] and done["reason"] == "" and done["attempts"] == 1
        assert [b["label"] for b in done["blocks"]] == ["open", "pause", "orders"]
        assert all(b["mode"] == "live" and b["ok"] for b in done["blocks"]) and done["repairs"] == []
        assert done["started_at"] <= done["finished_at"]

        listed = client.get("/v1/runs", params={"workflow": workflow}).json()
        assert [r["id"] for r in listed["runs"]] == [run["id"]] and listed["next_offset"] is None
        assert client.get("/v1/runs", params={"workflow": workflow, "status": ["failed", "canceled"]}).json()["runs"] == []
        both = client.get("/v1/runs", params={"workflow": workflow, "status": ["completed", "failed"]}).json()["runs"]
        assert [r["id"] for r in both] == [run["id"]]
        assert client.get("/v1/runs", params={"workflow": workflow, "since": "2999-01-01T00:00:00Z"}).json()["runs"] == []
        assert client.get("/v1/runs", params={"limit": 1}).json()["next_offset"] == 1

        report = client.get(done["artefacts"]["report"])
        assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in report.headers["content-security-policy"] and run["id"] in report.text
        trace = client.get(done["artefacts"]["trace"])
        assert trace.status_code == 200 and zipfile.ZipFile(io.BytesIO(trace.content)).namelist()
        result = client.get(done["artefacts"]["result"]).json()
        assert result["run_id"] == run["id"] and result["status"] == "succeeded"


def test_bad_bodies_name_the_field_and_an_unknown_run_is_404(api: Server, api_site: ExampleSite) -> None:
    definition = pages(api_site.url, f"bad-{api.backend}")

    def problem(body: object) -> tuple[list[list[object]], str]:
        response = client.post("/v1/runs", json=body)
        assert response.status_code == 422, response.text
        return [e["loc"] for e in response.json()["detail"]], response.json()["message"]

    with api.client(api.key()) as client:
        assert problem({"definition": definition, "params": {"site": "x"}, "run_with": "robot"})[0] == [["body", "run_with"]]
        locs, message = problem({"definition": definition, "params": {"site": ["a", "list"]}})
        assert locs == [["body", "params", "site"]] and "string, a number or a boolean" in message
        locs, message = problem({"definition": definition})
        assert locs == [["body", "params", "site"]] and "needs a value (a string)" in message
        locs, message = problem({"definition": definition, "params": {"site": "x", "colour": "red"}})
        assert locs == [["body", "params", "colour"]] and "is not a parameter of" in message and "['site']" in message
        typed = {**definition, "parameters": [{"name": "site"}, {"name": "count", "type": "integer"}]}
        locs, message = problem({"definition": typed, "params": {"site": "x", "count": "many"}})
        assert locs == [["body", "params", "count"]] and "must be a integer" in message and "many" not in message
        upload = {**definition, "parameters": [{"name": "site"}, {"name": "invoice", "type": "file"}]}
        locs, message = problem({"definition": upload, "params": {"site": "x", "invoice": "/etc/passwd"}})
        assert locs == [["body", "params", "invoice"]] and "file parameter" in message and "passwd" not in message
        locs, message = problem({"definition": {**definition, "blocks": [{"label": "open", "kind": "goto"}]},
                                 "params": {"site": "x"}})
        assert ["body", "definition", "blocks", 0, "goto", "url"] in locs, locs
        locs, message = problem({"definition": {**definition, "cache_key": "{{ site"}, "params": {"site": "x"}})
        assert locs == [["body", "definition"]] and "cache_key" in message
        agent_block = {"label": "look", "kind": "task", "goal": "Look at the page", "url": "{{ site }}/login"}
        uncached = {**definition, "blocks": [agent_block]}
        locs, message = problem({"definition": uncached, "params": {"site": "x"}, "run_with": "code_only"})
        assert locs == [["body", "run_with"]] and "nothing cached" in message
        assert "exactly one of" in problem({"definition": definition, "workflow": "w", "params": {"site": "x"}})[1]
        assert problem({"params": {}})[0] == [["body"]]
        locs, message = problem({"definition": {**definition, "blocks": []}, "params": {"site": "x"}})
        assert locs == [["body", "definition", "blocks"]] and "at least 1 item" in message
        assert problem({"workflow": "never-stored"})[0] == [["body", "workflow"]]
        assert problem({"task": {"goal": "g", "url": "ftp://x"}})[0] == [["body", "task", "url"]]
        assert problem({"definition": definition, "params": {"site": "x"}, "webhook_url": "file:///etc/passwd"})[0] == [
            ["body", "webhook_url"]]
        assert problem({"definition": definition, "params": {"site": "x"}, "surprise": 1})[0] == [["body", "surprise"]]
        malformed = client.post("/v1/runs", content=b"{not json", headers={"Content-Type": "application/json"})
        assert malformed.status_code == 422
        assert client.get("/v1/runs", params={"status": "sleeping"}).status_code == 422
        assert client.get("/v1/runs/x", params={"wait": 1000}).status_code == 422

        for method, path in (("GET", "/v1/runs/nope"), ("POST", "/v1/runs/nope/cancel"), ("GET", "/v1/runs/nope/report"),
                             ("GET", "/v1/cache/versions/999999"), ("GET", "/v1/schedules/999999"),
                             ("GET", "/v1/workflows/nope")):
            missing = client.request(method, path)
            assert missing.status_code == 404 and isinstance(missing.json()["detail"], str), (method, path)
        assert client.get("/v1/runs/nope").json() == {"detail": "no run with id nope"}


def test_a_run_canceled_while_it_runs_ends_canceled(api: Server, api_site: ExampleSite) -> None:
    with api.client(api.key()) as client:
        definition = pages(api_site.url, f"long-{api.backend}", pause_s=300)
        run = client.post("/v1/runs", json={"definition": definition, "params": {"site": api_site.url}}).json()
        until(lambda: client.get(f"/v1/runs/{run['id']}").json()["status"] == "running")
        accepted = client.post(f"/v1/runs/{run['id']}/cancel")
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["cancel_requested"]
        ended = client.get(f"/v1/runs/{run['id']}", params={"wait": 110}).json()
        assert ended["status"] == "canceled", (ended, api.log()[-3000:])
        assert ended["reason"] == "canceled while running" and ended["final"]
        again = client.post(f"/v1/runs/{run['id']}/cancel")
        assert again.status_code == 409 and again.json()["detail"] == f"run {run['id']} is already canceled"

        queued_then_canceled = client.post("/v1/runs", json={"definition": definition, "params": {"site": api_site.url}})
        rid = queued_then_canceled.json()["id"]
        client.post(f"/v1/runs/{rid}/cancel")
        assert client.get(f"/v1/runs/{rid}", params={"wait": 110}).json()["status"] == "canceled"


def test_a_stored_workflow_runs_by_id_and_a_task_runs_inline(
    api: Server, api_site: ExampleSite, api_model: ScriptedModel
) -> None:
    workflow_id = f"stored-{api.backend}"
    with api.client(api.key()) as client:
        stored = client.put(f"/v1/workflows/{workflow_id}", json=pages(api_site.url, workflow_id))
        assert stored.status_code == 201 and stored.json()["parameters"] == [
            {"name": "site", "type": "string", "description": "", "secret": False, "origins": []}]
        assert client.put(f"/v1/workflows/{workflow_id}", json=pages(api_site.url, workflow_id)).status_code == 200
        mismatch = client.put(f"/v1/workflows/{workflow_id}", json=pages(api_site.url, "other"))
        assert mismatch.status_code == 422 and mismatch.json()["detail"][0]["loc"] == ["body", "id"]
        assert workflow_id in [w["id"] for w in client.get("/v1/workflows").json()]
        run = client.post("/v1/runs", json={"workflow": workflow_id, "params": {"site": api_site.url}}).json()
        assert client.get(f"/v1/runs/{run['id']}", params={"wait": 110}).json()["status"] == "completed"

        api_model.script(act("The login page is open: nothing else to do", "complete", summary="seen"))
        task = client.post("/v1/runs", json={"task": {"goal": "Open the login page", "url": f"{api_site.url}/login",
                                                      "task_id": f"look-{api.backend}"}, "run_with": "agent"})
        assert task.status_code == 201 and task.json()["workflow"] == f"look-{api.backend}"
        done = client.get(f"/v1/runs/{task.json()['id']}", params={"wait": 110}).json()
        assert done["status"] == "completed", done
        assert done["blocks"][0]["mode"] == "agent" and done["llm_calls"] == 1
        assert client.delete(f"/v1/workflows/{workflow_id}").status_code == 204
        assert client.get(f"/v1/workflows/{workflow_id}").status_code == 404
        assert json.loads(client.get("/openapi.json").text)["components"]["securitySchemes"]
