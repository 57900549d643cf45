"""Webhook signatures: HMAC-SHA256 over `<timestamp>.<body>`, sent as `Encore-Signature: t=<unix>,v1=<hex>`.

A receiver verifies with `verify_webhook(body, request.headers["Encore-Signature"], secret)`: the raw
body bytes as received (not re-serialised JSON), the server's webhook secret, and a tolerance that
refuses old timestamps, so a captured delivery cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

__all__ = ["SIGNATURE_HEADER", "WebhookVerificationError", "sign_webhook", "verify_webhook"]

SIGNATURE_HEADER = "Encore-Signature"
_SCHEME = "v1"


class WebhookVerificationError(ValueError):
    """The signature header is missing or malformed, does not match the body, or is too old."""


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign_webhook(body: bytes, secret: str, timestamp: int | None = None) -> str:
    """The `Encore-Signature` header value for `body`."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},{_SCHEME}={_digest(secret, moment, body)}"


def verify_webhook(
    body: bytes, header: str | None, secret: str, *, tolerance_s: float = 300.0, now: float | None = None
) -> dict[str, Any]:
    """The delivered event (parsed JSON) once the signature checks out; WebhookVerificationError otherwise.

    Several `v1=` values may appear (while a secret is being rotated); one matching is enough.
    """
    if not header:
        raise WebhookVerificationError(f"no {SIGNATURE_HEADER} header")
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == _SCHEME and value:
            candidates.append(value)
    if timestamp is None or not candidates:
        raise WebhookVerificationError(f"{SIGNATURE_HEADER}: expected t=<unix time>,{_SCHEME}=<hex digest>")
    age = (time.time() if now is None else now) - timestamp
    if abs(age) > tolerance_s:
        raise WebhookVerificationError(f"{SIGNATURE_HEADER}: timestamp is {age:.0f}s away from now (tolerance {tolerance_s:g}s)")
    expected = _digest(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise WebhookVerificationError(f"{SIGNATURE_HEADER}: signature does not match the body")
    try:
        event: dict[str, Any] = json.loads(body)
    except ValueError:
        raise WebhookVerificationError("the signed body is not JSON") from None
    return event
