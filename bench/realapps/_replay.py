"""One pair of releases: record the flow on the first, replay it with new data on both."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser

from codegen import compile_trace
from runtime import Options, load_params, load_script
from tracer import write_atomic

from ._app import App, Release
from ._flow import FlowStep, record
from ._probe import Probe, Watch, instrument
from ._state import StateVerdict, verdict

__all__ = ["Recording", "Replay", "record_on", "replay_on"]


@dataclass(frozen=True)
class Recording:
    release: Release
    script: Path
    by_id: dict[str, FlowStep]
    state: StateVerdict
    """The recording run checked like a replay: the flow itself must create the record as typed."""


@dataclass(frozen=True)
class Replay:
    release: Release
    steps: int
    watch: Watch
    state: StateVerdict
    error: str | None
    seconds: float

    @property
    def completed(self) -> bool:
        """What a plain replay would have done: ran to the end with no stop, so no model call."""
        return self.error is None and not self.watch.stops


async def record_on(app: App, release: Release, browser: Browser, folder: Path) -> Recording:
    with app.running(release, "base", folder / "record") as instance:
        before = app.records(instance.database)
        context = await browser.new_context()
        try:
            trace, by_id = await record(app.flow, await context.new_page(), instance.base_url, folder / "trace.json")
        finally:
            await context.close()
        state = verdict(before, app.records(instance.database), app.expected(app.flow.record_params))
    script = folder / "script.py"
    write_atomic(script, compile_trace(trace).source)
    return Recording(release, script, by_id, state)


async def replay_on(app: App, recording: Recording, release: Release, browser: Browser, folder: Path) -> Replay:
    """Replay on a fresh database holding more records than the recording's, with new parameter values."""
    flow = app.flow
    with app.running(release, "extra", folder) as instance:
        before = app.records(instance.database)
        module = load_script(recording.script)
        probe = Probe(recording.by_id, base_url=instance.base_url, recorded=flow.record_params,
                      params=flow.replay_params, secrets=flow.secrets, ids=recording.state.created)
        instrument(module, probe)
        values = {**flow.replay_params, **flow.secrets}
        params = load_params(module, {name: values[name] for name in module.Params.model_fields if name in values})
        context = await browser.new_context()
        error = None
        start = time.perf_counter()
        try:
            await probe.attach(context)
            await module.run(await context.new_page(), params, Options(base_url=instance.base_url, artifacts_dir=folder))
        except Exception as exc:  # noqa: BLE001 - whatever stopped the replay is reported, not raised
            error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
        finally:
            seconds = time.perf_counter() - start
            await context.close()
        state = verdict(before, app.records(instance.database), app.expected(flow.replay_params))
    return Replay(release, len(recording.by_id), probe.watch, state, error, seconds)
