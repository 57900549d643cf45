"""`/v1/cache/versions` on a real server, on both backends: list, a version's script and trace, the diff with
the version it replaced, pin and unpin, remove."""

from __future__ import annotations

from encore import Cache, Slot
from encore._store import Store

from .conftest import Server, two_versions


def test_versions_are_listed_diffed_pinned_and_removed(api: Server) -> None:
    workflow = f"cached-{api.backend}"
    first, second = two_versions(api, workflow)
    with api.client(api.key()) as client:
        listed = client.get("/v1/cache/versions", params={"workflow": workflow}).json()
        assert [(v["id"], v["version"], v["origin"], v["script"]) for v in listed] == [
            (first, 1, "agent", None), (second, 2, "healed_element", None)]
        assert listed[1]["parent"] == 1 and listed[1]["block"] == "login" and listed[1]["cache_key"] == "key@0"
        assert client.get("/v1/cache/versions", params={"workflow": workflow, "block": "nope"}).json() == []

        one = client.get(f"/v1/cache/versions/{second}").json()
        assert '"#sign-in"' in one["script"] and one["run_id"] == "r-heal"
        assert client.get(f"/v1/cache/versions/{second}/trace").json()["id"] == "login"

        diff = client.get(f"/v1/cache/versions/{second}/diff").json()
        assert (diff["from_id"], diff["to_id"]) == (first, second)
        removed = [line for line in diff["diff"].splitlines() if line.startswith("-") and not line.startswith("---")]
        added = [line for line in diff["diff"].splitlines() if line.startswith("+") and not line.startswith("+++")]
        assert any('"#login-button"' in line for line in removed) and any('"#sign-in"' in line for line in added)
        assert client.get(f"/v1/cache/versions/{first}/diff").json()["from_id"] is None  # the first: against nothing
        assert client.get(f"/v1/cache/versions/{first}/diff", params={"against": second}).json()["from_id"] == second

        pinned = client.post(f"/v1/cache/versions/{first}/pin")
        assert pinned.status_code == 200 and pinned.json()["pinned"]
        assert Cache(Store(api.store)).latest(Slot(workflow, "key@0", "login")).id == first  # a pin wins
        assert not client.delete(f"/v1/cache/versions/{first}/pin").json()["pinned"]
        assert client.delete(f"/v1/cache/versions/{second}").status_code == 204
        assert client.get(f"/v1/cache/versions/{second}").status_code == 404
        assert client.post(f"/v1/cache/versions/{second}/pin").status_code == 404
