"""Same-release replays on real applications: a recorded flow replayed with new data on a fresh database.

Installs each application's first release from PyPI into .encore/realapps/ (kept between runs); skipped
only when the registry cannot be reached. The database check is strict: a replay must never create a
wrong record or touch another. The replay must complete without a stop (0 model calls) and act on no
other element than the flow's; a failure lists every stop.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser

from bench.realapps import APPS, Unavailable, record_on, replay_on

pytestmark = pytest.mark.realapps


@pytest.mark.parametrize("name", sorted(APPS))
async def test_same_release_with_new_data(name: str, browser: Browser, tmp_path: Path) -> None:
    app = APPS[name]()
    release = app.releases[0]
    try:
        app.prepare(release)
    except Unavailable as exc:
        if exc.unreachable:
            pytest.skip(f"the package registry cannot be reached: {exc}")
        raise
    recording = await record_on(app, release, browser, tmp_path)
    assert recording.state.ok, f"the flow itself is wrong: {recording.state.describe()}"

    replay = await replay_on(app, recording, release, browser, tmp_path / "same")

    assert replay.error is None, replay.error
    assert replay.state.ok, f"the application's database after the replay: {replay.state.describe()}"
    problems = [f"{s.step_id} {s.reason}: {s.why}" for s in replay.watch.stops]
    problems += [f"wrong element {w}" for w in replay.watch.wrong]
    assert not problems, " | ".join(problems)
    assert replay.completed
