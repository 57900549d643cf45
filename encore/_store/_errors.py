"""The store's one error: the store cannot be used, or what was asked for is not in it."""

from __future__ import annotations

__all__ = ["CacheError"]


class CacheError(RuntimeError):
    """The store (cache file or database) cannot be used, or a version, run or schedule does not exist."""
