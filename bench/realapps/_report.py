"""The suite's results as markdown: one row per application and release pair, then every stop and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ._replay import Recording, Replay

__all__ = ["HEADER", "Outcome", "details", "row"]

HEADER = [
    "app", "recorded on → other release", "steps", "same release, new data", "cross-release steps without a model",
    "cross-release divergences by reason", "wrong-element steps (same / cross)", "false stops (same / cross)",
]


@dataclass(frozen=True)
class Outcome:
    """A pair's result, or why it could not be measured."""

    app: str
    recorded: str
    other: str
    recording: Recording | None = None
    same: Replay | None = None
    cross: Replay | None = None
    problem: str | None = None


def row(outcome: Outcome) -> list[str]:
    pair = f"{outcome.recorded} → {outcome.other}"
    if outcome.problem is not None or outcome.same is None or outcome.cross is None:
        return [outcome.app, pair, "-", f"not run: {outcome.problem}", "-", "-", "-", "-"]
    same, cross = outcome.same, outcome.cross
    return [
        outcome.app, pair, str(same.steps), _same(same), _without_model(cross), _reasons(cross),
        f"{_wrong(same)} / {_wrong(cross)}", f"{_false(same)} / {_false(cross)}",
    ]


def details(outcome: Outcome) -> list[str]:
    """Markdown lines: the recording's own check, then each replay's stops and wrong-element steps."""
    if outcome.problem is not None:
        return [f"### {outcome.app} {outcome.recorded} → {outcome.other}", "", f"Not run: {outcome.problem}", ""]
    lines = [f"### {outcome.app}: recorded on {outcome.recorded}", ""]
    if outcome.recording is not None:
        lines.append(f"- Recording run, checked in the database: {outcome.recording.state.describe()}.")
    for label, replay in (("same release", outcome.same), (f"on {outcome.other}", outcome.cross)):
        if replay is None:
            continue
        lines.append(
            f"- Replay {label} ({replay.release.version}, {replay.seconds:.0f} s): "
            f"{len(replay.watch.done)}/{replay.steps} steps without a stop; database: {replay.state.describe()}"
            + (f"; ended by {replay.error}" if replay.error else "") + "."
        )
        for stop in replay.watch.stops:
            verdict = {True: "**false stop**", False: "true stop", None: "undecided"}[stop.false]
            lines.append(f"  - `{stop.step_id}` {stop.intention}: `{stop.reason}`, {verdict}: {_md(stop.why)}")
        for wrong in replay.watch.wrong:
            lines.append(f"  - **wrong element** {_md(wrong)}")
        if replay.watch.unchecked:
            lines.append(f"  - element not compared with the flow's: {', '.join(replay.watch.unchecked)}")
    return lines + [""]


def _same(replay: Replay) -> str:
    if replay.completed:
        result = "completed, 0 model calls"
    elif replay.watch.stops:
        first = replay.watch.stops[0]
        result = f"stopped at {first.step_id} ({first.reason}); {len(replay.watch.stops)} stops in all"
    else:
        result = f"failed: {replay.error}"
    return result + ("" if replay.state.ok else f"; database: {replay.state.describe()}")


def _without_model(replay: Replay) -> str:
    done = len(replay.watch.done)
    share = 100 * done / replay.steps if replay.steps else 0.0
    return f"{done}/{replay.steps} ({share:.0f} %)" + (f"; ended by {replay.error}" if replay.error else "")


def _reasons(replay: Replay) -> str:
    counts = Counter(stop.reason for stop in replay.watch.stops)
    return ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items())) or "none"


def _wrong(replay: Replay) -> str:
    count = len(replay.watch.wrong)
    return str(count) + ("" if replay.state.ok else " + database wrong")


def _false(replay: Replay) -> str:
    stops = replay.watch.stops
    return f"{sum(1 for s in stops if s.false)} of {len(stops)}"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
