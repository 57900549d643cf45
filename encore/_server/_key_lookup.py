"""API keys looked up by their hash, optionally remembered for a moment; `last_used_at` kept roughly current."""

from __future__ import annotations

import threading
import time

from .._store._keys import ApiKey, ApiKeys, key_hash

__all__ = ["KeyLookup"]

_TOUCH_EVERY_S = 60.0


class KeyLookup:
    """Keys by their hash, optionally remembered for `ttl_s` (then a revocation takes up to that long to apply)."""

    def __init__(self, keys: ApiKeys, writer: ApiKeys, ttl_s: float = 0.0) -> None:
        self.keys, self.writer, self.ttl_s = keys, writer, ttl_s
        self._remembered: dict[str, tuple[float, ApiKey | None]] = {}
        self._touched: dict[str, float] = {}
        self._lock = threading.Lock()

    def __call__(self, presented: str) -> ApiKey | None:
        now = time.monotonic()
        digest = key_hash(presented) if self.ttl_s > 0 else ""
        if digest:
            hit = self._remembered.get(digest)
            if hit is not None and hit[0] > now:
                return hit[1]
        key = self.keys.verify(presented)
        if digest:
            with self._lock:
                if len(self._remembered) > 10_000:
                    self._remembered.clear()
                self._remembered[digest] = (now + self.ttl_s, key)
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
