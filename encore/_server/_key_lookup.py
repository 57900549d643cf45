"""API keys looked up by their hash, optionally remembered for a moment; `last_used_at` kept roughly current."""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable

from .._store._keys import ApiKey, ApiKeys, key_hash

__all__ = ["KeyLookup"]

_TOUCH_EVERY_S = 60.0


class KeyLookup:
    """Keys by their hash, optionally remembered for `ttl_s` (then a revocation takes up to that long to apply).

    `lookup` is the API's path: with `read_async` (PostgreSQL) the read runs on the event loop, otherwise inline
    as the synchronous call does (SQLite: a read on a pooled connection costs less than a hop to a thread).
    """

    def __init__(
        self, keys: ApiKeys, writer: ApiKeys, ttl_s: float = 0.0,
        read_async: Callable[[str], Awaitable[ApiKey | None]] | None = None,
    ) -> None:
        self.keys, self.writer, self.ttl_s, self.read_async = keys, writer, ttl_s, read_async
        self._remembered: dict[str, tuple[float, ApiKey | None]] = {}
        self._touched: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, presented: str) -> ApiKey | None:
        hit, digest = self._recall(presented)
        return hit[0] if hit else self._found(digest, self.keys.verify(presented))

    async def lookup(self, presented: str) -> ApiKey | None:
        hit, digest = self._recall(presented)
        if hit:
            return hit[0]
        found = await self.read_async(presented) if self.read_async is not None else self.keys.verify(presented)
        return self._found(digest, found)

    def _recall(self, presented: str) -> tuple[tuple[ApiKey | None] | None, str]:
        """The remembered answer (in a 1-tuple, as None is an answer too) and the key's digest, when remembering."""
        if self.ttl_s <= 0:
            return None, ""
        digest = key_hash(presented)
        remembered = self._remembered.get(digest)
        if remembered is not None and remembered[0] > time.monotonic():
            return (remembered[1],), digest
        return None, digest

    def _found(self, digest: str, key: ApiKey | None) -> ApiKey | None:
        if digest:
            with self._lock:
                if len(self._remembered) > 10_000:
                    self._remembered.clear()
                self._remembered[digest] = (time.monotonic() + self.ttl_s, key)
        if key is not None and not key.revoked:
            self._touch(key)
        return key

    def _touch(self, key: ApiKey) -> None:
        """`last_used_at` for `encore keys ls`, written at most once a minute per key."""
        now = time.time()
        with self._lock:
            if now - self._touched.get(key.id, key.last_used_at or 0.0) < _TOUCH_EVERY_S:
                return
            self._touched[key.id] = now
        # A write may wait for the store's lock: never on the request's way.
        threading.Thread(target=self.writer.touch, args=(key.id, now), name="encore-key-touch", daemon=True).start()
