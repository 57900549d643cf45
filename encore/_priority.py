"""Runs yield the CPU to what answers requests: a worker's browsers run at a lower priority (a higher nice value).

A replay mostly waits on pages, but Chromium's renderers take whole cores while a page loads. On a host that
also serves the API, or a database, a worker at the same priority makes every request there wait behind
them. Niceness only matters when the CPU is contended: an idle host still gives the worker every core.
Processes the worker starts afterwards (Playwright's driver, Chromium and its renderers) inherit it.

Chromium run by root raises its own display threads and processes to nice -8 (it holds CAP_SYS_NICE), which
would put the browsers above the API again. So the lowering thread also drops CAP_SYS_NICE from its
capability bounding set: what it starts afterwards cannot take a priority above it back. A process without
the capability (any other user) cannot raise its priority anyway. This is one `prctl` call through ctypes:
the libraries that wrap prctl need libcap's headers to build.

Playwright starts Chromium in a session of its own (setsid). Where the kernel groups tasks by session
(autogroup, the default of Debian's and Ubuntu's kernels), a nice value is weighed only against the other
tasks of the same session, and each session gets an equal share of the CPU: the browser would be the API's
equal whatever its nice value. So the browser's session is lowered too, through /proc/<pid>/autogroup.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = [
    "MAX_NICE", "descendants", "lower_new_sessions", "lower_process_priority", "lower_thread_priority",
    "new_sessions_lowered", "sessions_started",
]

log = logging.getLogger("encore.priority")

MAX_NICE = 19
_PR_CAPBSET_DROP = 24  # <linux/prctl.h>
_CAP_SYS_NICE = 23  # <linux/capability.h>
_AUTOGROUP_ATTEMPTS = 10


def _check(increment: int) -> None:
    if not 0 <= increment <= MAX_NICE:
        raise ValueError(f"nice increment {increment}: expected 0 to {MAX_NICE}")


def _keep_children_below() -> None:
    """Drop CAP_SYS_NICE from this thread's bounding set (Linux, when it may): programs it starts cannot raise
    their priority. Without CAP_SETPCAP (not root) there is nothing to drop, and nothing is done."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_CAPBSET_DROP, _CAP_SYS_NICE, 0, 0, 0) != 0:
            log.debug("CAP_SYS_NICE kept in the bounding set: %s", os.strerror(ctypes.get_errno()))
    except (OSError, AttributeError) as exc:
        log.debug("CAP_SYS_NICE kept in the bounding set: %s", exc)


def lower_process_priority(increment: int) -> int:
    """This process (call it before starting threads: every thread, and what it starts from now on) by
    `increment`; its new nice value."""
    _check(increment)
    if not hasattr(os, "nice"):
        return 0
    if increment == 0:
        return os.nice(0)
    if sys.platform.startswith("linux"):
        _keep_children_below()
    return os.nice(increment)


def lower_thread_priority(increment: int) -> int | None:
    """The calling thread (and the threads and processes it starts from now on) by `increment`.

    Linux keeps a nice value per thread, so the rest of the process (the API's event loop) keeps its own.
    Elsewhere it would lower the whole process: nothing is changed there, and None is answered.
    """
    _check(increment)
    if not sys.platform.startswith("linux"):
        log.info("worker priority left as it is: only Linux lowers one thread's priority")
        return None
    if increment == 0:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    _keep_children_below()
    thread = threading.get_native_id()
    current = os.getpriority(os.PRIO_PROCESS, thread)
    wanted = min(MAX_NICE, current + increment)
    if wanted != current:
        os.setpriority(os.PRIO_PROCESS, thread, wanted)
    return wanted


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        children.setdefault(parent, []).append(int(entry.name))
    return children


def descendants(root: int) -> list[int]:
    """Every process descending from `root`, as /proc shows them now (Linux; empty elsewhere)."""
    if not sys.platform.startswith("linux") or not os.path.isdir("/proc"):
        return []
    children, found, pending = _children_by_parent(), [], [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def sessions_started() -> set[int]:
    """The processes descending from this one that lead a session of their own (Linux; empty elsewhere)."""
    leaders = set()
    for pid in descendants(os.getpid()):
        try:
            if os.getsid(pid) == pid:
                leaders.add(pid)
        except OSError:
            continue  # gone meanwhile
    return leaders


def lower_new_sessions(before: set[int], nice: int) -> int:
    """Set the autogroup nice value of every session started since `before` (`sessions_started()` taken then);
    how many were set. Nothing is done where the kernel has no autogroups or forbids it."""
    _check(nice)
    lowered = 0
    for leader in sorted(sessions_started() - before):
        for attempt in range(_AUTOGROUP_ATTEMPTS):
            try:
                with open(f"/proc/{leader}/autogroup", "w", encoding="ascii") as autogroup:
                    autogroup.write(str(nice))
                lowered += 1
                break
            except FileNotFoundError:
                break  # no autogroups in this kernel, or the session ended: nothing to lower
            except BlockingIOError:
                # Without CAP_SYS_ADMIN the kernel takes one autogroup change per 100 ms, machine-wide.
                if attempt + 1 < _AUTOGROUP_ATTEMPTS:
                    time.sleep(0.11)
                    continue
                log.warning("Chromium's session %d keeps its priority: the kernel refused the change %d times",
                            leader, _AUTOGROUP_ATTEMPTS)
            except OSError as exc:
                log.warning("Chromium's session %d keeps its priority: %s", leader, exc)
                break
    return lowered


@contextmanager
def new_sessions_lowered(nice: int) -> Iterator[None]:
    """Around starting a browser: the sessions it opened of its own (Playwright's Chromium) are lowered to
    `nice` once it has started (not when starting it failed)."""
    _check(nice)
    before = sessions_started()
    yield
    lower_new_sessions(before, nice)
