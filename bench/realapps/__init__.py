"""The real-application suite: flows recorded on real web applications, replayed with new data and across releases."""

from ._app import App, Instance, Release
from ._flow import Flow, FlowStep
from ._replay import Recording, Replay, record_on, replay_on
from ._runner import APPS, main, run_pair
from ._venv import Unavailable

__all__ = [
    "APPS",
    "App",
    "Flow",
    "FlowStep",
    "Instance",
    "Recording",
    "Release",
    "Replay",
    "Unavailable",
    "main",
    "record_on",
    "replay_on",
    "run_pair",
]
