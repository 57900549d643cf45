"""The SQLite cache: versions per slot, pins, heal streaks, concurrent writers and killed writers."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from codegen import compile_trace
from encore import Cache, CacheError, Slot
from tracer import load_trace

from ..conftest import TRACES

SLOT = Slot("shop", "default@x", "login")


def _trace():
    return load_trace(TRACES / "login.json")


def _add(cache: Cache, slot: Slot = SLOT, origin: str = "agent"):
    trace = _trace()
    return cache.add(slot, trace, compile_trace(trace).source, run_id="r", origin=origin)  # type: ignore[arg-type]


def test_versions_number_per_slot_and_latest_is_newest(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    assert cache.latest(SLOT) is None
    first, second = _add(cache), _add(cache, origin="healed_element")
    other = _add(cache, Slot("shop", "default@x", "login", "/if:then"))
    assert (first.version, second.version, other.version) == (1, 2, 1)
    assert cache.latest(SLOT) == second
    assert second.trace() == _trace()
    assert cache.script_path(second).read_text() == second.script


def test_a_pinned_version_wins_over_newer_ones(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    first = _add(cache)
    _add(cache)
    cache.pin(first.id)
    assert cache.latest(SLOT).id == first.id  # type: ignore[union-attr]
    cache.pin(first.id, False)
    assert cache.latest(SLOT).version == 2  # type: ignore[union-attr]


def test_heal_streaks_count_consecutive_heals_and_reset(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    assert [cache.record_outcome(SLOT, healed=h) for h in (True, True, False, True)] == [1, 2, 0, 1]
    assert cache.heal_streak(SLOT) == 1


def test_remove_and_unknown_ids(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    version = _add(cache)
    _add(cache, Slot("other", "k", "b"))
    assert cache.remove(version_id=version.id) == 1
    assert cache.remove(workflow="other") == 1
    with pytest.raises(CacheError, match="no cached version with id 99"):
        cache.get(99)
    with pytest.raises(CacheError, match="nothing cached"):
        cache.remove(workflow="shop")


def test_a_file_that_is_not_a_cache_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_text("not a database, just text " * 100)
    with pytest.raises(CacheError, match="not a usable cache file"):
        Cache(path)


def _writer(path: str, worker: int, count: int) -> None:
    cache = Cache(path)
    for _ in range(count):
        _add(cache, Slot("shop", "k", "block"))


def test_concurrent_writers_never_lose_or_duplicate_a_version(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    Cache(path)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(path, n, 5)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    versions = Cache(path).versions("shop")
    assert sorted(v.version for v in versions) == list(range(1, 21))


def _endless_writer(path: str) -> None:
    cache = Cache(path)
    while True:
        _add(cache, Slot("shop", "k", "block"))


def test_a_writer_killed_mid_write_leaves_a_readable_cache(tmp_path: Path) -> None:
    path = str(tmp_path / "c.sqlite")
    good = _add(Cache(path), Slot("shop", "k", "block"))
    context = multiprocessing.get_context("spawn")
    writer = context.Process(target=_endless_writer, args=(path,))
    writer.start()
    time.sleep(2.5)  # long enough for it to be inside a write at some point; SIGKILL gives it no cleanup
    os.kill(writer.pid or 0, signal.SIGKILL)
    writer.join(10)
    cache = Cache(path)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    versions = cache.versions("shop")
    assert versions[0] == good
    numbers = [v.version for v in versions]
    assert numbers == list(range(1, len(numbers) + 1))
    latest = cache.latest(Slot("shop", "k", "block"))
    assert latest is not None and latest.trace() == _trace()  # the last committed version loads whole
