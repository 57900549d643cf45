"""API keys on every request: `Authorization: Bearer <key>`, or the web UI's session cookie holding the key.

401: no key, or a key this store does not know. 403: a revoked key, a read-only key asking for a change,
or a change asked by a browser session without the UI's header (a cross-site form cannot set it, so a page
elsewhere cannot act with the user's cookie). Keys are looked up by their sha256; a key is never logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from .._store._keys import ApiKey
from ._problems import Problem
from ._state import state_of

__all__ = ["COOKIE", "UI_HEADER", "Caller", "authenticate", "check", "presented_key"]

COOKIE = "encore_key"
UI_HEADER = "X-Encore-UI"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="encore"'}


@dataclass(frozen=True)
class Caller:
    key: ApiKey
    via_cookie: bool


def presented_key(request: Request) -> tuple[str | None, bool]:
    """The key and whether it came from the UI's cookie; the Authorization header wins."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise Problem(401, "Authorization: expected `Bearer <API key>`", headers=_CHALLENGE)
        return value.strip(), False
    cookie = request.cookies.get(COOKIE)
    return (cookie, True) if cookie else (None, False)


async def authenticate(request: Request) -> Caller:
    """The caller of this request, or the 401/403 that refuses it (a dependency of every API route)."""
    presented, via_cookie = presented_key(request)
    key = await state_of(request).key_lookup.lookup(presented) if presented is not None else None
    return _judge(request, presented, key, via_cookie)


def check(request: Request) -> Caller:
    """The caller of this request, or the 401/403 that refuses it (synchronous: the web UI's pages)."""
    presented, via_cookie = presented_key(request)
    key = state_of(request).key_lookup(presented) if presented is not None else None
    return _judge(request, presented, key, via_cookie)


def _judge(request: Request, presented: str | None, key: ApiKey | None, via_cookie: bool) -> Caller:
    if presented is None:
        raise Problem(
            401, "an API key is required: send `Authorization: Bearer <key>` (create one with `encore keys create`)",
            headers=_CHALLENGE,
        )
    if key is None:
        raise Problem(401, "unknown API key", headers=_CHALLENGE)
    if key.revoked:
        raise Problem(403, f"API key {key.id} was revoked")
    if request.method not in _SAFE_METHODS:
        if via_cookie and request.headers.get(UI_HEADER) != "1":
            raise Problem(403, f"a change from a browser session needs the {UI_HEADER} header (cross-site request refused)")
        if key.scope != "full":
            raise Problem(403, f"API key {key.id} is read-only")
    return Caller(key, via_cookie)
