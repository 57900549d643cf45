"""A run's task is canceled until it has ended, even when a library loses the first cancel."""

from __future__ import annotations

import asyncio
import sys

import pytest

from encore._cancel import cancel_until_done, keep_canceling


async def _loses_one_cancel(cancels: list[int]) -> None:
    try:
        await asyncio.sleep(3600)
    except asyncio.CancelledError:
        cancels.append(1)  # taken and dropped, as asyncio.wait_for drops it on Python 3.11
    await asyncio.sleep(3600)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="CPython 3.12 rebuilt wait_for on asyncio.timeout")
async def test_python_3_11s_wait_for_loses_a_cancel_that_arrives_with_its_result() -> None:
    result: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    went_on = asyncio.Event()

    async def step() -> None:
        await asyncio.wait_for(result, 60)
        went_on.set()
        await asyncio.sleep(3600)

    task = asyncio.create_task(step())
    await asyncio.sleep(0)
    result.set_result("loaded")
    task.cancel()
    await asyncio.wait_for(went_on.wait(), 5)  # the reason for encore._cancel
    assert not task.done()
    await cancel_until_done(task, again_after_s=0.01)
    assert task.cancelled()


async def test_a_lost_cancel_is_sent_again_until_the_task_ends() -> None:
    cancels: list[int] = []
    task = asyncio.create_task(_loses_one_cancel(cancels))
    await asyncio.sleep(0)
    await asyncio.wait_for(cancel_until_done(task, again_after_s=0.01), 5)
    assert task.cancelled() and cancels == [1]


async def test_a_task_that_takes_the_cancel_finishes_its_cleanup_uninterrupted() -> None:
    cleaned = asyncio.Event()

    async def run() -> None:
        try:
            await asyncio.sleep(3600)
        finally:
            await asyncio.sleep(0.2)  # closing the page, writing the report
            cleaned.set()

    task = asyncio.create_task(run())
    await asyncio.sleep(0)
    await cancel_until_done(task, again_after_s=5)
    assert task.cancelled() and cleaned.is_set()


async def test_an_aborted_job_is_canceled_again_while_its_abort_stands() -> None:
    cancels: list[int] = []
    task = asyncio.create_task(_loses_one_cancel(cancels))
    insisting = asyncio.create_task(keep_canceling(task, lambda: True, again_after_s=0.01))
    await asyncio.sleep(0)
    task.cancel()  # procrastinate's one cancel, lost
    await asyncio.wait_for(insisting, 5)
    assert task.cancelled() and cancels == [1]


async def test_a_job_nobody_aborted_is_left_alone() -> None:
    task = asyncio.create_task(asyncio.sleep(0.1, "done"))
    await keep_canceling(task, lambda: False, again_after_s=0.01)
    assert task.result() == "done"
