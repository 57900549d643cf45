"""Webhook signatures: what the server signs, `verify_webhook` accepts; a changed body, another secret, an old
timestamp or a malformed header are refused."""

from __future__ import annotations

import json

import pytest

from encore import WebhookVerificationError, verify_webhook
from encore._webhook_signature import sign_webhook

SECRET = "whsec_unit"
BODY = json.dumps({"id": "d1", "type": "run.completed", "data": {"id": "r1"}}).encode()


def test_a_signed_body_verifies_and_returns_the_event() -> None:
    header = sign_webhook(BODY, SECRET, timestamp=1_700_000_000)
    assert header.startswith("t=1700000000,v1=") and len(header.split("v1=")[1]) == 64
    assert verify_webhook(BODY, header, SECRET, now=1_700_000_100)["type"] == "run.completed"
    rotating = f"{header},v1={'0' * 64}"  # several signatures while a secret is rotated: one match is enough
    assert verify_webhook(BODY, rotating, SECRET, now=1_700_000_000)["data"] == {"id": "r1"}


@pytest.mark.parametrize(
    ("body", "header", "secret", "now", "message"),
    [
        (BODY + b" ", None, SECRET, 1_700_000_000, "does not match"),
        (BODY, None, "whsec_other", 1_700_000_000, "does not match"),
        (BODY, None, SECRET, 1_700_000_000 + 301, "away from now"),
        (BODY, None, SECRET, 1_700_000_000 - 301, "away from now"),
        (BODY, "", SECRET, 1_700_000_000, "no Encore-Signature"),
        (BODY, "v1=abc", SECRET, 1_700_000_000, "expected t="),
        (BODY, "t=1700000000", SECRET, 1_700_000_000, "expected t="),
        (BODY, "t=soon,v1=abc", SECRET, 1_700_000_000, "expected t="),
        (b"not json", "sign", SECRET, 1_700_000_000, "not JSON"),
    ],
)
def test_anything_else_is_refused(body: bytes, header: str | None, secret: str, now: float, message: str) -> None:
    signed = sign_webhook(BODY if header != "sign" else body, SECRET, timestamp=1_700_000_000)
    with pytest.raises(WebhookVerificationError, match=message):
        verify_webhook(body, signed if header in (None, "sign") else header, secret, now=now)

