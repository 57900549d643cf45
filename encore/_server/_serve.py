"""Running the application under uvicorn (one process; scale out with more servers and `encore worker`s)."""

from __future__ import annotations

import logging

import uvicorn

from ._app import create_app
from ._settings import ServerSettings
from ._state import ServerState

__all__ = ["serve"]


def serve(settings: ServerSettings) -> None:
    state = ServerState(settings)  # opens the store first: a bad store is one line, before the server starts
    app = create_app(settings, state)
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, access_log=False, server_header=False, log_config=None,
        timeout_graceful_shutdown=30,
    )
    logging.getLogger("encore.server").info(
        "encore serve: http://%s:%d (UI at /ui/runs, API description at /openapi.json)", settings.host, settings.port
    )
    uvicorn.Server(config).run()
