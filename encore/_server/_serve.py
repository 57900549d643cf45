"""Running the application under uvicorn: one process, or with a PostgreSQL store several processes on one
port (`processes`), each with its own event loop, connections and webhook sender, as several servers would
have. Scale out further with more servers and `encore worker`s."""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import os
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from ._app import create_app
from ._settings import ServerSettings
from ._state import ServerState

__all__ = ["LOG_FORMAT", "app_from_environment", "serve"]

LOG_FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
"""With the process id: several processes of one server write to one log."""
_SETTINGS = "ENCORE_SERVE_SETTINGS"  # how the processes of one `encore serve` get its settings
_PATHS = {field.name for field in dataclasses.fields(ServerSettings) if "Path" in str(field.type)}


def serve(settings: ServerSettings, *, log_level: str = "info") -> None:
    state = ServerState(settings)  # opens the store first: a bad store is one line, before the server starts
    options: dict[str, Any] = {
        "host": settings.host, "port": settings.port, "access_log": False, "server_header": False, "log_config": None,
        "timeout_graceful_shutdown": 30,
    }
    logging.getLogger("encore.server").info(
        "encore serve: http://%s:%d (UI at /ui/runs, API description at /openapi.json)%s", settings.host,
        settings.port, f", {settings.processes} processes" if settings.processes > 1 else "",
    )
    if settings.processes == 1:
        app = create_app(settings, state)
        _freeze()
        uvicorn.Server(uvicorn.Config(app, **options)).run()
        return
    state.store.engine.dispose()  # each process opens its own
    os.environ[_SETTINGS] = json.dumps({"settings": dataclasses.asdict(settings), "log_level": log_level}, default=str)
    uvicorn.run(f"{__name__}:app_from_environment", factory=True, workers=settings.processes, **options)


def app_from_environment() -> FastAPI:
    """The application of one of several processes (started by uvicorn, which imports this by name)."""
    given = json.loads(os.environ[_SETTINGS])
    logging.basicConfig(level=given["log_level"].upper(), format=LOG_FORMAT)
    logging.getLogger("procrastinate").setLevel(logging.WARNING)
    values = {name: Path(value) if name in _PATHS and value is not None else value
              for name, value in given["settings"].items()}
    app = create_app(ServerSettings(**values))
    _freeze()
    return app


def _freeze() -> None:
    """What exists before the server starts (modules, the app, its settings) lives as long as the server: frozen,
    the collector's full passes skip it. They walked it all, 60 to 135 ms with every request waiting, every
    second or two under load. (Done here, not in `create_app`: it is a process-wide choice.)"""
    gc.collect()
    gc.freeze()
