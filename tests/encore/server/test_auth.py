"""Every route needs an API key: 401 without one or with an unknown one, 403 with a revoked or read-only key,
keys never in a query string, and a browser session cannot be made to change anything from another site."""

from __future__ import annotations

import httpx

from encore._cli import main
from encore._server import PUBLIC_PATHS
from encore._store import Store
from encore._store._keys import ApiKeys

from .conftest import Server


def _routes(server: Server) -> list[tuple[str, str]]:
    spec = httpx.get(f"{server.url}/openapi.json").json()
    concrete = {"{run_id}": "nope", "{version_id}": "1", "{schedule_id}": "1", "{workflow_id}": "nope"}
    out = []
    for path, methods in spec["paths"].items():
        for name, value in concrete.items():
            path = path.replace(name, value)
        out += [(method.upper(), path) for method in methods]
    return out


def test_every_api_route_refuses_a_request_without_a_key_or_with_an_unknown_one(api: Server) -> None:
    routes = _routes(api)
    assert len(routes) >= 20 and all(path.startswith("/v1/") for _, path in routes)
    assert not any(path.startswith(PUBLIC_PATHS) for _, path in routes)
    with api.client() as anonymous, api.client("ek_000000000000_not-a-key") as stranger:
        for method, path in routes:
            for client in (anonymous, stranger):
                response = client.request(method, path, json={})
                assert response.status_code == 401, (method, path, response.text)
                assert response.headers["www-authenticate"].startswith("Bearer")
                assert set(response.json()) == {"detail"} and response.json()["detail"]
        assert "API key is required" in anonymous.get("/v1/runs").json()["detail"]
        assert anonymous.get("/v1/runs", headers={"Authorization": "Basic abc"}).status_code == 401
        assert anonymous.get("/ui/runs").status_code == 303  # the UI sends a browser to sign in
        assert anonymous.get("/openapi.json").status_code == 200


def test_a_revoked_key_is_refused_at_once_and_a_read_only_key_cannot_change_anything(api: Server, capsys) -> None:
    key, reader = api.key("revoke-me"), api.key("reader", read_only=True)
    key_id = key[3:15]
    with api.client(key) as client, api.client(reader) as read_only:
        assert client.get("/v1/runs").status_code == 200
        assert main(["keys", "revoke", key_id, "--store", api.store]) == 0
        assert f"revoked key {key_id}" in capsys.readouterr().out
        refused = client.get("/v1/runs")
        assert refused.status_code == 403 and refused.json()["detail"] == f"API key {key_id} was revoked"
        assert read_only.get("/v1/cache/versions").status_code == 200
        denied = read_only.post("/v1/runs", json={"workflow": "anything"})
        assert denied.status_code == 403 and "read-only" in denied.json()["detail"]
    listed = {k.id: k for k in ApiKeys(Store(api.store).engine).list()}
    assert listed[key_id].revoked and listed[key_id].last_used_at is not None


def test_keys_are_never_accepted_in_the_query_string(api: Server) -> None:
    key = api.key()
    with api.client() as anonymous:
        for name in ("api_key", "key", "token", "password", "access_token", "x-secret"):
            response = anonymous.get("/v1/runs", params={name: key})
            assert response.status_code == 400 and "never accepted in a URL" in response.json()["detail"]
            assert key not in response.text
    assert key not in api.log()


def test_a_browser_session_changes_nothing_without_the_ui_header(api: Server) -> None:
    key = api.key("browser")
    with api.client() as browser:
        signed_in = browser.post("/ui/login", content=f"key={key}&next=/ui/cache",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/ui/cache"
        cookie = signed_in.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        assert browser.get("/v1/runs").status_code == 200  # reading with the session cookie
        forged = browser.post("/v1/runs/nope/cancel")  # what a form on another site would send
        assert forged.status_code == 403 and "X-Encore-UI" in forged.json()["detail"]
        assert browser.post("/v1/runs/nope/cancel", headers={"X-Encore-UI": "1"}).status_code == 404
        elsewhere = browser.post("/ui/login", content=f"key={key}&next=https://evil.example/",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert elsewhere.headers["location"] == "/ui/runs"  # never an open redirect
        wrong = browser.post("/ui/login", content="key=ek_nope", headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert wrong.status_code == 401 and "Unknown API key" in wrong.text


def test_keys_command_creates_lists_and_revokes(tmp_path, capsys) -> None:
    store = str(tmp_path / "store.sqlite")
    assert main(["keys", "create", "--name", "ci", "--read-only", "--store", store]) == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert key.startswith("ek_") and "shown once" in err
    assert main(["keys", "ls", "--store", store]) == 0
    listing = capsys.readouterr().out
    assert "ci" in listing and "read" in listing and key not in listing
    assert key[16:] not in (tmp_path / "store.sqlite").read_bytes().decode("latin-1")  # only its digest is kept
    assert main(["keys", "revoke", "nope", "--store", store]) == 2
    assert "no API key with id nope" in capsys.readouterr().err
