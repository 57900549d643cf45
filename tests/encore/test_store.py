"""The store on SQLite and PostgreSQL: an old cache file upgraded in place, versions, one heal per version,
runs, schedules and the heal lock, each against a real database."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from codegen import compile_trace
from encore import Cache, CacheError, Slot
from encore._store import HEAD_REVISION, DuplicateHeal, Store, acquire
from encore._store._engine import _MIGRATIONS
from tracer import load_trace

from ..conftest import ROOT, TRACES

LEGACY = ROOT / "tests" / "fixtures" / "store" / "cache-before-store.sqlite"
SLOT = Slot("shop", "default@x", "login")


def _add(cache: Cache, slot: Slot = SLOT, **extra):  # type: ignore[no-untyped-def]
    trace = load_trace(TRACES / "login.json")
    return cache.add(slot, trace, compile_trace(trace).source, run_id="r", origin=extra.pop("origin", "agent"), **extra)


def test_a_cache_file_from_before_the_store_upgrades_in_place(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    shutil.copy(LEGACY, path)
    with sqlite3.connect(path) as db:
        before = db.execute("SELECT id, workflow, cache_key, block, branch, version, sha256, pinned FROM versions").fetchall()
    cache = Cache(path)
    after = [(v.id, *v.slot.parts()[:3], v.slot.branch, v.version, v.sha256, int(v.pinned)) for v in cache.versions()]
    assert sorted(after) == sorted(before) and len(after) == 3
    slot = Slot("shop", "default@0123456789", "login")
    assert cache.latest(slot).version == 2 and cache.latest(slot).pinned  # type: ignore[union-attr]
    assert cache.heal_streak(slot) == 2
    assert cache.latest(slot).trace() == load_trace(TRACES / "login.json")  # type: ignore[union-attr]
    assert _add(cache, slot).version == 3  # numbering carries on
    assert cache.store.runs.list() == []  # the new tables are there
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert Cache(path).versions()[0].id == before[0][0]  # opening again is a no-op


def test_head_revision_is_the_newest_migration() -> None:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_versions_pins_and_streaks(store_location: str) -> None:
    cache = Cache(store_location)
    first, second = _add(cache), _add(cache, origin="healed_element", parent=1)
    assert (first.version, second.version, second.parent) == (1, 2, 1)
    assert _add(cache, Slot("shop", "default@x", "login", "/if:then")).version == 1
    cache.pin(first.id)
    assert cache.latest(SLOT).id == first.id  # type: ignore[union-attr]
    cache.pin(first.id, False)
    assert [cache.record_outcome(SLOT, healed=h) for h in (True, True, False, True)] == [1, 2, 0, 1]
    assert cache.remove(workflow="shop") == 3
    with pytest.raises(CacheError, match="no cached version with id 99"):
        cache.get(99)


def test_a_version_is_healed_once(store_location: str) -> None:
    cache = Cache(store_location)
    _add(cache)
    assert _add(cache, origin="healed_element", parent=1).version == 2
    with pytest.raises(DuplicateHeal, match="version 1 was already healed"):
        _add(cache, origin="healed_block", parent=1)
    assert [v.version for v in cache.versions()] == [1, 2]


def test_concurrent_writers_on_one_slot_number_without_gaps(store_location: str) -> None:
    cache = Cache(store_location)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: [_add(Cache(store_location), Slot("shop", "k", "b")) for _ in range(5)], range(4)))
    assert sorted(v.version for v in cache.versions("shop")) == list(range(1, 21))


def test_runs_from_queued_to_final(store_location: str) -> None:
    runs = Store(store_location).runs
    runs.create("r1", "shop", {"site": "http://x"}, definition={"id": "shop"})
    runs.create("r2", "other", {}, status="running")
    with pytest.raises(CacheError, match="already exists"):
        runs.create("r1", "shop", {})
    assert runs.start("r1", "w1").status == "running"  # type: ignore[union-attr]
    done = runs.finish("r1", "completed", llm_calls=0, blocks=[{"label": "login", "mode": "code"}], cost_usd=0.0)
    assert (done.status, done.attempts, done.worker, done.blocks[0]["mode"]) == ("completed", 1, "w1", "code")
    assert runs.finish("r1", "failed").status == "completed"  # a final status stays
    assert runs.start("r1", "w2") is None
    assert [r.id for r in runs.list(status="running")] == ["r2"]
    assert [r.id for r in runs.list(workflow="shop")] == ["r1"]
    assert runs.get("r1").params == {"site": "http://x"} and runs.get("r1").definition == {"id": "shop"}
    runs.create("r3", "shop", {})
    assert runs.request_cancel("r3").status == "canceled"
    assert runs.request_cancel("r2").cancel_requested
    started = time.monotonic()
    assert asyncio.run(runs.wait("r2", 0.3)).status == "running" and time.monotonic() - started >= 0.3
    assert asyncio.run(runs.wait("r1", 5)).status == "completed"
    with pytest.raises(ValueError, match="unknown run status"):
        runs.list(status="exploded")


def test_schedules_fire_once_per_tick_and_coalesce_missed_ticks(store_location: str) -> None:
    store = Store(store_location)
    schedules = store.schedules
    with pytest.raises(ValueError, match="five fields"):
        schedules.add("* * *", "shop", {}, {})
    with pytest.raises(ValueError, match="not an IANA zone"):
        schedules.add("0 6 * * *", "shop", {}, {}, zone="Mars/Olympus")
    schedule = schedules.add("0 6 * * *", "shop", {"id": "shop"}, {"site": "s"}, zone="Europe/Paris")
    assert schedules.due() == []
    assert schedules.fire(schedule.id, "too-early") is None

    three_days_later = schedule.next_fire_at + 3 * 86400 + 60  # the workers were down for three ticks
    with ThreadPoolExecutor(4) as pool:  # four workers' periodic tasks at once
        fired = list(pool.map(lambda n: schedules.fire(schedule.id, f"run-{n}", three_days_later), range(4)))
    made = [record for record in fired if record is not None]
    assert len(made) == 1, "one run for the missed ticks, not one per tick nor one per worker"
    assert made[0].scheduled_for == schedule.next_fire_at + 3 * 86400 and made[0].params == {"site": "s"}
    again = schedules.get(schedule.id)
    assert again.next_fire_at == schedule.next_fire_at + 4 * 86400 and again.last_run_id == made[0].id
    assert [r.id for r in store.runs.list(schedule_id=schedule.id)] == [made[0].id]

    assert schedules.pause(schedule.id).paused and schedules.due(again.next_fire_at + 1) == []
    assert schedules.pause(schedule.id, False).next_fire_at > time.time()
    schedules.remove(schedule.id)
    with pytest.raises(CacheError, match="no schedule"):
        schedules.get(schedule.id)


async def test_the_heal_lock_is_exclusive_and_dies_with_its_holder(store_location: str) -> None:
    store = Store(store_location)
    first, second = store.heal_lock(SLOT), store.heal_lock(SLOT)
    assert await acquire(first, 1)
    assert not await acquire(second, 0.3)
    assert await acquire(store.heal_lock(Slot("shop", "default@x", "other")), 0.3)  # another slot is free
    first.release()
    assert await acquire(second, 1)
    second.release()

    holder = subprocess.Popen(  # noqa: ASYNC220 - the holder must be another process, to be SIGKILLed
        [sys.executable, "-c", _HOLD, store_location], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not await acquire(store.heal_lock(SLOT), 0.3)
        holder.kill()  # SIGKILL: no cleanup at all
        holder.wait(10)
        assert await acquire(store.heal_lock(SLOT), 10), "the lock died with its holder"
    finally:
        holder.kill()


_HOLD = """
import asyncio, sys, time
from encore._store import Store, Slot, acquire
lock = Store(sys.argv[1]).heal_lock(Slot("shop", "default@x", "login"))
assert asyncio.run(acquire(lock, 5))
print("held", flush=True)
time.sleep(600)
"""
