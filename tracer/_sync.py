"""Encore's async code driving objects of Playwright's sync API, on Playwright's own event loop.

Playwright's sync API is thin wrappers over an async implementation run in a greenlet; `SyncBase._sync`
runs a coroutine there and returns its result. Encore's sync APIs are built the same way: each call
runs the async code through `_sync`, on async-API twins of the caller's objects (same browser objects).

Playwright remembers one API wrapper per implementation object, whichever API made it first. When both
APIs wrap the same objects, each must get its own kind back, or async code is handed sync wrappers
(and the other way round); `_keep_apart` makes each mapping keep its wrappers under its own name.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from playwright._impl import _async_base, _impl_to_api_mapping, _sync_base

__all__ = ["async_twin", "run_detached", "run_on", "sync_twin"]

T = TypeVar("T")

_API_ATTR = _impl_to_api_mapping.API_ATTR
_installed = threading.Lock()
_patched = False


def _keep_apart() -> None:
    global _patched
    with _installed:
        if _patched:
            return
        original = _impl_to_api_mapping.ImplToApiMapping.from_maybe_impl

        def from_maybe_impl(self: Any, obj: Any, visited: Any = None) -> Any:
            cached = getattr(obj, _API_ATTR, None) if hasattr(obj, "__dict__") else None
            if cached is None or type(cached) in self._mapping.values():
                return original(self, obj, visited)
            # The other API wrapped this object first: keep its wrapper, and one of ours under our own name.
            own_attr = f"{_API_ATTR}{id(self)}"
            own = obj.__dict__.get(own_attr)
            if own is None:
                obj.__dict__[_API_ATTR] = None
                try:
                    own = original(self, obj, visited)
                finally:
                    obj.__dict__[_API_ATTR] = cached
                obj.__dict__[own_attr] = own
            return own

        _impl_to_api_mapping.ImplToApiMapping.from_maybe_impl = from_maybe_impl  # type: ignore[method-assign]
        _patched = True


def async_twin(obj: Any) -> Any:
    """The async-API wrapper of a sync-API object (a Page, Locator, ElementHandle...); others unchanged."""
    impl = getattr(obj, "_impl_obj", None)
    if impl is None or not isinstance(obj, _sync_base.SyncBase):
        return obj
    _keep_apart()
    return _async_base.mapping.from_impl(impl)


def sync_twin(obj: Any) -> Any:
    """The sync-API wrapper of an async-API object; others unchanged."""
    impl = getattr(obj, "_impl_obj", None)
    if impl is None or not isinstance(obj, _async_base.AsyncBase):
        return obj
    _keep_apart()
    return _sync_base.mapping.from_impl(impl)


def run_on(owner: Any, coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` on the event loop of the sync-API object `owner`, as Playwright's own sync calls do."""
    if not isinstance(owner, _sync_base.SyncBase):
        coroutine.close()
        raise TypeError(f"expected an object of playwright.sync_api, got {type(owner).__name__}")
    return owner._sync(coroutine)


def run_detached(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to completion from synchronous code, even where an event loop is already running
    in this thread (inside Playwright's sync API, or a notebook): then it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    result: list[T] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(asyncio.run(coroutine))
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread as it is
            failure.append(exc)

    thread = threading.Thread(target=work, name="encore-sync")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]
