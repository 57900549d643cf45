"""Webhooks on a real server: a receiver that fails twice then succeeds gets the same signed event three
times, the server backing off between attempts; a receiver that never answers 2xx is given up on."""

from __future__ import annotations

import json
from typing import Any

import pytest

from encore import Client, verify_webhook
from encore._server._webhooks import retry_delay
from examples.site.server import ExampleSite

from .conftest import WEBHOOK_SECRET, Server, pages, until


def test_a_receiver_failing_twice_gets_the_signed_event_on_the_third_attempt(
    api: Server, api_site: ExampleSite, receiver: Any
) -> None:
    hook = receiver(500, 503, 200)
    with api.client(api.key()) as client:
        run = client.post("/v1/runs", json={
            "definition": pages(api_site.url, f"hooked-{api.backend}"), "params": {"site": api_site.url},
            "webhook_url": hook.url,
        }).json()
        assert run["webhooks"][0]["state"] == "waiting"
        final = client.get(f"/v1/runs/{run['id']}", params={"wait": 110}).json()
        assert final["status"] == "completed"
        webhook = until(lambda: (w := client.get(f"/v1/runs/{run['id']}").json()["webhooks"][0])["state"] == "delivered" and w)
    assert webhook["attempts"] == 3 and webhook["last_status"] == 200 and webhook["delivered_at"]

    assert len(hook.received) == 3
    bodies = {body for _, body in hook.received}
    assert len(bodies) == 1  # the same event each time; only the signature's timestamp may change
    deliveries = {headers["Encore-Delivery"] for headers, _ in hook.received}
    assert deliveries == {webhook["id"]}
    for headers, body in hook.received:
        assert headers["Content-Type"] == "application/json" and headers["Encore-Event"] == "run.completed"
        event = Client.verify_webhook(body, headers["Encore-Signature"], WEBHOOK_SECRET)
        assert event["id"] == webhook["id"] and event["type"] == "run.completed"
        assert event["data"]["id"] == run["id"] and event["data"]["status"] == "completed"
        assert "webhooks" not in event["data"]
    tampered = json.loads(hook.received[0][1]) | {"type": "run.failed"}
    with pytest.raises(ValueError, match="does not match"):
        verify_webhook(json.dumps(tampered).encode(), hook.received[0][0]["Encore-Signature"], WEBHOOK_SECRET)


def test_a_receiver_that_never_accepts_is_given_up_on_after_the_attempts(
    sqlite_server: Server, api_site: ExampleSite, receiver: Any
) -> None:
    hook = receiver(410)
    with sqlite_server.client(sqlite_server.key()) as client:
        run = client.post("/v1/runs", json={
            "definition": pages(api_site.url, "hooked-gone"), "params": {"site": api_site.url}, "webhook_url": hook.url,
        }).json()
        client.get(f"/v1/runs/{run['id']}", params={"wait": 110})
        webhook = until(lambda: (w := client.get(f"/v1/runs/{run['id']}").json()["webhooks"][0])["state"] == "failed" and w,
                        timeout_s=180)
    assert webhook["attempts"] == 4 == len(hook.received) and webhook["last_status"] == 410  # --webhook-attempts 4
    assert webhook["last_error"] == "HTTP 410"


def test_retries_back_off_exponentially_up_to_an_hour() -> None:
    for attempt in range(1, 6):
        assert 0.9 * 2.0 * 2 ** (attempt - 1) <= retry_delay(attempt, 2.0) <= 1.1 * 2.0 * 2 ** (attempt - 1)
    assert retry_delay(40, 2.0) <= 3600 * 1.1
