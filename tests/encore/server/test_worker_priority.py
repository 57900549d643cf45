"""The browsers of a run execute below the API on both setups: the in-process worker's Chromium (SQLite) and a
separate `encore worker`'s (PostgreSQL) run at nice 10 or more, cannot take it back, and Chromium's own
session is lowered too, so that polling clients are answered first when the browsers take the CPU."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from encore._priority import descendants
from examples.site.server import ExampleSite

from .conftest import Server, pages

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's"
)


def _threads_nice(pid: int) -> list[int]:
    """The nice value of each of pid's threads; none when the process has already exited (a renderer that
    closes with its page may go between listing and reading)."""
    values = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return values
    for task in tasks:
        try:
            values.append(int((task / "stat").read_text().rsplit(")", 1)[1].split()[16]))
        except (OSError, IndexError, ValueError):
            continue
    return values


def _is_chromium(pid: int) -> bool:
    try:
        return "chrom" in Path(f"/proc/{pid}/comm").read_text()
    except OSError:
        return False


def _session_of(pid: int) -> int | None:
    try:
        return os.getsid(pid)
    except OSError:
        return None


def test_the_browsers_of_a_run_execute_below_the_api(api: Server, api_site: ExampleSite) -> None:
    workflow = f"priority-{api.backend}"
    with api.client(api.key()) as client:
        run = client.post(
            "/v1/runs", json={"definition": pages(api_site.url, workflow), "params": {"site": api_site.url}}
        )
        assert run.status_code == 201, run.text
        done = client.get(f"/v1/runs/{run.json()['id']}", params={"wait": 110}).json()
        assert done["status"] == "completed", (done, api.log()[-3000:])

    server = api.processes[0].pid
    api_nice = min(_threads_nice(server))  # the API's event loop keeps the priority it was started with
    browsers = [pid for process in api.processes for pid in descendants(process.pid) if _is_chromium(pid)]
    assert browsers, "no Chromium under the server or its worker"
    lowered = min(19, api_nice + 10)
    for pid in browsers:
        assert min(_threads_nice(pid), default=lowered) >= lowered, (pid, _threads_nice(pid))
    leaders = [pid for pid in browsers if _session_of(pid) == pid]
    assert leaders  # Playwright starts Chromium in a session of its own
    for leader in leaders:
        try:
            autogroup = Path(f"/proc/{leader}/autogroup").read_text()
        except OSError:
            continue  # no autogroups in this kernel, or the browser has just exited
        assert autogroup.split()[-1] == "10", autogroup
