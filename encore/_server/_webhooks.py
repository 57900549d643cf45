"""Webhooks: once a run is final, its delivery is POSTed, signed (see `encore._webhook_signature`), and
retried with exponential backoff until the receiver answers 2xx or the attempts run out.

The body is the event `{"id", "type": "run.<status>", "created", "data": <the run as GET /v1/runs/{id}>}`;
`data` comes from the run's row, which never holds a secret. Redirects are not followed (a receiver that
moved answers with its new URL, which a retry would not follow either): a 3xx counts as a failed attempt.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time

import httpx
from starlette.concurrency import run_in_threadpool

from .._store import Runs
from .._store._deliveries import Deliveries, Delivery
from .._webhook_signature import SIGNATURE_HEADER, sign_webhook
from ._views import moment, run_info

__all__ = ["WebhookSender", "event_body", "retry_delay"]

log = logging.getLogger("encore.server.webhooks")
_MAX_DELAY_S = 3600.0


def retry_delay(attempts_done: int, backoff_s: float) -> float:
    """Delay before the next attempt: backoff, doubled after each failure, capped at an hour, with ±10% jitter
    so that receivers coming back are not hit by every retry at once."""
    base = min(backoff_s * 2 ** (attempts_done - 1), _MAX_DELAY_S)
    return base * random.uniform(0.9, 1.1)


def event_body(delivery: Delivery, runs: Runs) -> tuple[str, bytes]:
    record = runs.get(delivery.run_id)
    kind = f"run.{record.status}"
    event = {
        "id": delivery.id,
        "type": kind,
        # When the run ended, not when this attempt was made: every attempt sends the same bytes.
        "created": moment(record.finished_at or record.queued_at).isoformat(),  # type: ignore[union-attr]
        "data": run_info(record).model_dump(mode="json", exclude={"webhooks"}),
    }
    return kind, json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class WebhookSender:
    def __init__(
        self, deliveries: Deliveries, runs: Runs, secret: str, *, attempts: int, backoff_s: float, timeout_s: float,
        poll_s: float = 0.5,
    ) -> None:
        self.deliveries, self.runs, self._secret = deliveries, runs, secret
        self.attempts, self.backoff_s, self.timeout_s, self.poll_s = attempts, backoff_s, timeout_s, poll_s
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def poke(self) -> None:
        """A run may have become final: look now rather than at the next poll (callable from any thread)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(timeout=self.timeout_s, follow_redirects=False, trust_env=False) as client:
            while True:
                try:
                    async with asyncio.timeout(self.poll_s):
                        await self._wake.wait()
                except TimeoutError:
                    pass
                self._wake.clear()
                try:
                    await self._round(client)
                except Exception:
                    log.exception("webhook round failed; retrying")

    async def _round(self, client: httpx.AsyncClient) -> None:
        now = time.time()
        await run_in_threadpool(self.deliveries.promote, now)
        claimed = await run_in_threadpool(self.deliveries.claim, now, self.timeout_s + 30.0)
        if claimed:
            await asyncio.gather(*(self._send(client, delivery) for delivery in claimed))

    async def _send(self, client: httpx.AsyncClient, delivery: Delivery) -> None:
        kind, body = await run_in_threadpool(event_body, delivery, self.runs)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "encore-webhooks/1",
            "Encore-Event": kind,
            "Encore-Delivery": delivery.id,
            SIGNATURE_HEADER: sign_webhook(body, self._secret),
        }
        try:
            response = await client.post(delivery.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            await self._failed(delivery, None, f"{type(exc).__name__}: {exc}".strip())
            return
        if 200 <= response.status_code < 300:
            await run_in_threadpool(self.deliveries.succeeded, delivery.id, response.status_code, time.time())
            log.info("webhook %s for run %s delivered (attempt %d)", delivery.id, delivery.run_id, delivery.attempts + 1)
        else:
            await self._failed(delivery, response.status_code, f"HTTP {response.status_code}")

    async def _failed(self, delivery: Delivery, status: int | None, error: str) -> None:
        done = delivery.attempts + 1
        retry_at = None if done >= self.attempts else time.time() + retry_delay(done, self.backoff_s)
        await run_in_threadpool(self.deliveries.attempt_failed, delivery.id, status, error, retry_at)
        log.warning(
            "webhook %s for run %s: attempt %d failed (%s); %s", delivery.id, delivery.run_id, done, error,
            "giving up" if retry_at is None else f"next in {retry_at - time.time():.1f}s",
        )
