"""A worker's priority: one thread lowered (not the API's), what it starts inheriting it without a way back up,
and a browser's own session lowered too. Real threads and processes; Linux only, as the module is."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from encore._priority import (
    lower_new_sessions,
    lower_process_priority,
    lower_thread_priority,
    sessions_started,
)

from ..threads import in_a_thread

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")

_REPORT = """
import os
nice = os.getpriority(os.PRIO_PROCESS, 0)
try:
    os.setpriority(os.PRIO_PROCESS, 0, nice - 1)
    raised = "raised"
except PermissionError:
    raised = "refused"
bounding = next(l for l in open("/proc/self/status") if l.startswith("CapBnd:")).split()[1]
print(nice, raised, int(bounding, 16) >> 23 & 1)
"""


def _capability(field: str, bit: int) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        value = next(line for line in status if line.startswith(f"{field}:")).split()[1]
    return int(value, 16) >> bit & 1


# Only a process holding CAP_SETPCAP (root) can take CAP_SYS_NICE out of the bounding set; without it, what it
# starts cannot raise its priority anyway, and the bounding set stays as it is.
_SYS_NICE_AFTER = 0 if _capability("CapEff", 8) else _capability("CapBnd", 23)


def _child_report() -> tuple[int, str, int]:
    """A new process's nice value, whether it could raise its priority by one, and whether it may hold CAP_SYS_NICE."""
    out = subprocess.run([sys.executable, "-c", _REPORT], check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), out[1], int(out[2])


def test_a_thread_lowers_itself_and_what_it_starts_but_not_the_rest_of_the_process() -> None:
    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def lowered() -> tuple[int | None, int, tuple[int, str, int]]:
        return lower_thread_priority(5), os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), _child_report()

    answered, own, child = in_a_thread(lowered)
    assert answered == own == min(19, base + 5)
    assert child[0] == own and child[1] == "refused"  # what it starts cannot climb back above it
    assert child[2] == _SYS_NICE_AFTER  # out of its bounding set when root (root's browsers would raise themselves)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base  # the API's thread keeps its own
    assert _child_report()[0] == base


def test_no_increment_changes_nothing() -> None:
    base = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert in_a_thread(lambda: (lower_thread_priority(0), _child_report())) == (base, (base, *_child_report()[1:]))


@pytest.mark.parametrize("increment", [-1, 20])
def test_an_increment_out_of_range_is_refused(increment: int) -> None:
    with pytest.raises(ValueError, match=f"nice increment {increment}: expected 0 to 19"):
        lower_thread_priority(increment)
    with pytest.raises(ValueError, match="expected 0 to 19"):
        lower_process_priority(increment)


def test_a_worker_process_is_lowered_with_everything_it_starts() -> None:
    script = (
        "import subprocess, sys; from encore._priority import lower_process_priority; "
        "print(lower_process_priority(3)); "
        f"print(subprocess.run([sys.executable, '-c', {_REPORT!r}], capture_output=True, text=True).stdout)"
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert int(out[0]) == int(out[1]) == min(19, base + 3) and out[2] == "refused" and out[3] == str(_SYS_NICE_AFTER)


def test_a_browser_started_in_its_own_session_gets_its_session_lowered(tmp_path: Path) -> None:
    before = sessions_started()
    alone = subprocess.Popen(["sleep", "30"], start_new_session=True)  # as Playwright starts Chromium
    along = subprocess.Popen(["sleep", "30"])
    try:
        started = sessions_started()
        assert alone.pid in started and along.pid not in started
        autogroup = Path(f"/proc/{alone.pid}/autogroup")
        if not autogroup.exists():
            assert lower_new_sessions(before, 7) == 0
            pytest.skip("this kernel groups no tasks by session (no /proc/<pid>/autogroup)")
        assert lower_new_sessions(before, 7) == 1
        assert autogroup.read_text().split()[-1] == "7"
        assert lower_new_sessions(started, 7) == 0  # only sessions started since `before`
    finally:
        for process in (alone, along):
            process.kill()
            process.wait()
