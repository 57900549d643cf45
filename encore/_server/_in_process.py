"""The in-process worker of `encore serve` (the embedded default): runs execute on a thread of their own, with
one event loop, one Chromium and several browser contexts, so the API's event loop never waits on a browser,
a model or code generation.

Inline secrets of a run are handed over in memory and dropped when the run ends; they are never written
anywhere. A server restarted on the same host takes over the unfinished runs of a dead server process (their
inline secrets are gone with it: such a run takes its secrets from this server's environment or fails, saying so).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Playwright, async_playwright

from runtime import launch_chromium
from tracer import redact

from .._cache import Cache
from .._cancel import cancel_until_done
from .._priority import lower_thread_priority, new_sessions_lowered
from .._runner import new_run_id, run_workflow
from .._secrets import worker_secrets
from .._store import RunRecord, Store
from .._store._run_claims import assign, claim, orphans, requeue
from .._workflow import Workflow, parse_workflow
from ._problems import Problem

__all__ = ["InProcessWorker", "env_secrets"]

log = logging.getLogger("encore.server.worker")


def env_secrets(workflow: Workflow, given: set[str]) -> dict[str, str]:
    """The secrets not given inline, from this process's environment or the workflow's references."""
    missing = [p for p in workflow.parameters if not (p.secret and p.name in given)]
    return worker_secrets(workflow.model_copy(update={"parameters": missing}))


def _owner_prefix() -> str:
    return f"serve:{socket.gethostname()}:"


def _alive(worker: str) -> bool:
    pid = worker.rsplit(":", 1)[-1]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class InProcessWorker:
    accepts_secrets = True

    def __init__(
        self, store: Store, *, concurrency: int, runs_dir: Path, deadline_s: float | None, heal_wait_s: float,
        schedule_poll_s: float, on_final: Callable[[str], None], nice: int = 10,
    ) -> None:
        self.store, self.concurrency, self.runs_dir, self.nice = store, concurrency, runs_dir, nice
        self.deadline_s, self.heal_wait_s, self.schedule_poll_s = deadline_s, heal_wait_s, schedule_poll_s
        self.on_final = on_final
        self.name = f"{_owner_prefix()}{os.getpid()}"
        self._secrets: dict[str, dict[str, str]] = {}
        self._running: dict[str, asyncio.Task[None]] = {}
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._thread_main, name="encore-in-process-worker", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._queue: asyncio.Queue[str] | None = None
        self._stopping: asyncio.Event | None = None
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._browser_lock: asyncio.Lock | None = None

    # --- from the API's side (any thread) ------------------------------------------

    async def start(self) -> None:
        self._thread.start()
        await asyncio.to_thread(self._ready.wait)

    async def stop(self, grace_s: float = 10.0) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        await asyncio.to_thread(self._thread.join, grace_s + 15.0)

    def assign(self, run_id: str) -> None:
        """Called when the run's row is written, before `submit`: the row names this server as its worker."""
        assign(self.store.engine, run_id, self.name)

    async def submit(self, run_id: str, secrets: dict[str, str]) -> None:
        if secrets:
            with self._lock:
                self._secrets[run_id] = dict(secrets)  # the caller clears its own copy
        assert self._loop is not None and self._queue is not None
        self._loop.call_soon_threadsafe(self._queue.put_nowait, run_id)

    async def cancel(self, record: RunRecord) -> RunRecord:
        if record.status == "running" and record.worker != self.name:
            raise Problem(409, f"run {record.id} runs in another process ({record.worker or 'encore run'}): stop it there")
        updated = await asyncio.to_thread(self.store.runs.request_cancel, record.id)
        if updated.final:
            with self._lock:
                self._secrets.pop(record.id, None)
            self.on_final(record.id)
            return updated
        # The task is looked up only now that the flag is written: `record` may have been read while the run
        # was queued, and the worker may have claimed it since. A run's task is registered before it claims
        # the run, so a run claimed before the flag was written is found here; a run still queued when it was
        # written was canceled by that write, and its claim finds nothing to run.
        task = self._running.get(record.id)
        if task is not None and self._loop is not None:
            asyncio.run_coroutine_threadsafe(cancel_until_done(task), self._loop)
        return updated

    # --- the worker's thread ---------------------------------------------------------

    def _thread_main(self) -> None:
        # Before Playwright starts: its driver and Chromium inherit this thread's priority, below the API's.
        try:
            lower_thread_priority(self.nice)
        except OSError as exc:  # a sandbox may refuse it: the runs still run, at the API's priority
            log.warning("the in-process worker keeps the API's priority: %s", exc)
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue, self._stopping, self._browser_lock = asyncio.Queue(), asyncio.Event(), asyncio.Lock()
        self._ready.set()
        self._take_over_orphans()
        loops = [asyncio.create_task(self._dispatch()), asyncio.create_task(self._fire_schedules())]
        await self._stopping.wait()
        for task in loops:
            task.cancel()
        if self._running:  # runs in progress get a grace period, then are canceled
            _, late = await asyncio.wait(list(self._running.values()), timeout=10.0)
            if late:
                stoppers = [asyncio.create_task(cancel_until_done(task, again_after_s=2.0)) for task in late]
                await asyncio.wait(stoppers, timeout=10.0)
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    async def _dispatch(self) -> None:
        assert self._queue is not None
        slots = asyncio.Semaphore(self.concurrency)
        while True:
            run_id = await self._queue.get()
            await slots.acquire()
            task = asyncio.create_task(self._execute(run_id), name=f"run {run_id}")
            self._running[run_id] = task

            def done(_task: asyncio.Task[None], run_id: str = run_id) -> None:
                self._running.pop(run_id, None)
                slots.release()

            task.add_done_callback(done)

    async def _fire_schedules(self) -> None:
        """Due schedules fire here too (separate workers fire them with the queue's periodic task)."""
        assert self._queue is not None
        while True:
            try:
                for schedule in self.store.schedules.due():
                    record = self.store.schedules.fire(schedule.id, new_run_id())
                    if record is not None:
                        self.assign(record.id)
                        self._queue.put_nowait(record.id)
                        log.info("schedule %s fired run %s", schedule.id, record.id)
            except Exception:
                log.exception("firing schedules failed; retrying")
            await asyncio.sleep(self.schedule_poll_s)

    def _take_over_orphans(self) -> None:
        assert self._queue is not None
        for record in orphans(self.store.engine, _owner_prefix()):
            dead = record.worker != self.name and not _alive(record.worker)
            if dead and requeue(self.store.engine, record.id, record.worker, self.name):
                log.warning("run %s of the stopped server %s is queued again", record.id, record.worker)
                self._queue.put_nowait(record.id)

    async def _chromium(self) -> Browser:
        assert self._browser_lock is not None
        async with self._browser_lock:
            if self._browser is None or not self._browser.is_connected():
                if self._playwright is None:
                    self._playwright = await async_playwright().start()
                with new_sessions_lowered(self.nice):  # Chromium's own session: see encore._priority
                    self._browser = await launch_chromium(self._playwright)
            return self._browser

    async def _execute(self, run_id: str) -> None:
        with self._lock:
            inline = self._secrets.pop(run_id, {})
        secrets: dict[str, str] = dict(inline)
        try:
            record = claim(self.store.engine, run_id, self.name)
            if record is None:
                return  # canceled while queued, or another server took it
            if record.cancel_requested:
                self.store.runs.finish(run_id, "canceled", reason="canceled before it started")
                return
            workflow = parse_workflow(record.definition, f"run {run_id}")
            secrets.update(env_secrets(workflow, set(inline)))
            context = await (await self._chromium()).new_context(accept_downloads=True)
            try:
                await self._run(workflow, record, secrets, await context.new_page())
            finally:
                await context.close()
        except asyncio.CancelledError:
            self.store.runs.finish(run_id, "canceled", reason="canceled while running")
        except TimeoutError:
            self.store.runs.finish(run_id, "timed_out", reason=f"ran past its deadline of {self.deadline_s:g}s")
        except Exception as exc:  # noqa: BLE001 - whatever stopped the run is its failure, written to its row
            text = str(exc).strip()
            reason = redact(f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}", secrets)
            self.store.runs.finish(run_id, "failed", reason=reason)  # a no-op when the runner wrote it already
            log.warning("run %s failed: %s", run_id, reason)
        finally:
            secrets.clear()
            inline.clear()
            self.on_final(run_id)

    async def _run(self, workflow: Workflow, record: RunRecord, secrets: dict[str, str], page: Any) -> None:
        await run_workflow(
            workflow, {**record.params, **secrets}, run_id=record.id, cache=Cache(self.store),
            runs_dir=self.runs_dir, page=page, run_with=record.run_with,  # type: ignore[arg-type]
            deadline_s=self.deadline_s, heal_wait_s=self.heal_wait_s,
        )
