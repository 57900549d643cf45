"""Secret scan through the API: a login run given its password inline (in memory, in-process worker), recorded,
healed and failed, with webhooks. The password is in no API response, server log, stored row, webhook,
report, result, trace.zip or model request, in any spelling the independent scanner of tests/security
decodes. The password's value anywhere else in a request is refused. A server queueing runs for separate
workers refuses inline secrets. A healed run says what was repaired, with the script diff."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import inspect, text

from encore._store import Store
from examples.model import ScriptedModel, act, locate_answer, login_answers
from examples.site.server import PASSWORD, ExampleSite

from ...conftest import ROOT
from ...security.scan import Scanner
from .conftest import Receiver, Server, start_server, until

SCANNER = Scanner(PASSWORD)


@pytest.fixture(params=["sqlite", "postgresql"])
def in_process(request: pytest.FixtureRequest, tmp_path: Path, api_model: ScriptedModel) -> Iterator[Server]:
    """The in-process worker on either backend (on PostgreSQL: `encore serve --worker in-process`)."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_server")
        return
    url = request.getfixturevalue("postgres_url")
    server = start_server(tmp_path / "serve", url, api_model, backend="postgresql", worker="in-process")
    yield server
    server.stop()


def _leaks(blob: bytes) -> bool:
    return bool(SCANNER.where(blob))


def _rows(store: str) -> bytes:
    """Every row of every table, as text."""
    engine = Store(store).engine
    dump = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            dump += [repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(dump).encode()


def test_no_secret_in_any_response_log_row_or_webhook_through_record_heal_and_failure(
    in_process: Server, serve: Callable[..., ExampleSite], api_model: ScriptedModel,
) -> None:
    server, site = in_process, serve()
    hook = Receiver(500, 200)
    responses: list[bytes] = []

    def keep(response: httpx.Response) -> None:
        responses.append(response.read())

    definition = yaml.safe_load((ROOT / "examples" / "workflows" / "login.yaml").read_text())
    definition["id"] = f"login-scan-{server.backend}"
    body = {"definition": definition, "params": {"site": site.url}, "secrets": {"password": PASSWORD},
            "webhook_url": hook.url}
    try:
        with server.client(server.key("scan"), event_hooks={"response": [keep]}) as client:
            offered = client.post("/v1/runs", json={**body, "params": {"site": site.url, "password": PASSWORD}})
            assert offered.status_code == 422 and offered.json()["detail"][0]["loc"] == ["body", "params", "password"]
            for field, elsewhere in (
                (["body", "params", "site"], {**body, "params": {"site": f"{site.url}/?p={PASSWORD}"}}),
                (["body", "webhook_url"], {**body, "webhook_url": f"{hook.url}?token={PASSWORD}"}),
                (["body", "definition", "title"], {**body, "definition": {**definition, "title": PASSWORD}}),
            ):
                refused = client.post("/v1/runs", json=elsewhere)
                assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == field, refused.text
            mistyped = client.post("/v1/runs", json={**body, "secrets": {"password": 12345}})
            assert mistyped.status_code == 422 and mistyped.json()["detail"][0]["loc"] == ["body", "secrets", "password"]
            missing = client.post("/v1/runs", json={**body, "secrets": {}})
            assert missing.status_code == 422 and missing.json()["detail"][0]["loc"] == ["body", "secrets", "password"]
            assert "ENCORE_PARAM_PASSWORD" in missing.json()["message"]
            assert client.get("/v1/runs", params={"password": PASSWORD}).status_code == 400

            def run(answers: list[Any], *mutations: str) -> dict[str, Any]:
                site.mutations = mutations
                api_model.script(*answers)
                created = client.post("/v1/runs", json=body)
                assert created.status_code == 201, created.text
                return client.get(f"/v1/runs/{created.json()['id']}", params={"wait": 110}).json()

            recorded = run(login_answers())
            assert recorded["status"] == "completed", (recorded, server.log()[-3000:])
            assert recorded["blocks"][0]["mode"] == "agent" and recorded["llm_calls"] == 4

            healed = run([locate_answer("Continue", "button")], "redesigned_login")
            assert healed["status"] == "completed" and healed["healed"], healed
            assert healed["repairs"] == [{"block": "login", "branch": "", "how": "healed_element", "from_version": 1,
                                          "to_version": 2, "detail": healed["blocks"][0]["message"]}]
            versions = client.get("/v1/cache/versions", params={"workflow": definition["id"]}).json()
            assert [v["origin"] for v in versions] == ["agent", "healed_element"]
            diff = client.get(f"/v1/cache/versions/{versions[1]['id']}/diff").json()
            assert diff["from_id"] == versions[0]["id"] and "Continue" in diff["diff"]

            failed = run([lambda request: {"element": None, "confidence": 0.0},
                          act("Cannot sign in", "terminate", reason="no button")], "removed_element")
            assert failed["status"] in ("terminated", "failed") and failed["reason"], failed
            assert not api_model.remaining

            finished = [recorded, healed, failed]
            for one in finished:  # read everything a client can read about these runs
                client.get(f"/v1/runs/{one['id']}")
                client.get(one["artefacts"]["report"])
                client.get(one["artefacts"]["result"])
                archive = zipfile.ZipFile(io.BytesIO(client.get(one["artefacts"]["trace"]).content))
                responses += [archive.read(name) for name in archive.namelist()]
            client.get("/v1/runs", params={"workflow": definition["id"]})
            client.get(f"/ui/runs/{healed['id']}")
            client.get(f"/ui/runs/{failed['id']}/detail")
            until(lambda: all(client.get(f"/v1/runs/{r['id']}").json()["webhooks"][0]["state"] == "delivered"
                              for r in finished))
    finally:
        site.mutations = ()
        hook.close()

    assert len(responses) > 20 and len(hook.received) == 4  # the first delivery failed once
    leaks = [n for n, blob in enumerate(responses) if _leaks(blob)]
    assert not leaks, f"the secret is in API responses {leaks}"
    for headers, sent in hook.received:
        assert not _leaks(sent) and not _leaks(repr(headers).encode())
    assert not _leaks(server.log().encode())
    assert not _leaks(_rows(server.store))
    scanned, findings = SCANNER.tree(server.root)
    assert scanned > 10 and findings == []
    assert not _leaks(repr(api_model.requests).encode())


def test_a_server_queueing_for_separate_workers_refuses_inline_secrets(postgres_api_server: Server) -> None:
    definition = yaml.safe_load((ROOT / "examples" / "workflows" / "login.yaml").read_text())
    with postgres_api_server.client(postgres_api_server.key()) as client:
        refused = client.post("/v1/runs", json={"definition": definition, "params": {"site": "http://127.0.0.1:9"},
                                                "secrets": {"password": PASSWORD}})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "secrets"]
    assert "secrets never travel through the queue" in refused.json()["message"]
    assert "ENCORE_PARAM_PASSWORD" in refused.json()["message"] and not _leaks(refused.content)
    assert not _leaks(postgres_api_server.log().encode()) and not _leaks(_rows(postgres_api_server.store))
