"""`encore serve`: the HTTP API, webhooks and web UI over the store, with an in-process worker or the queue."""

from ._app import PUBLIC_PATHS, create_app
from ._serve import LOG_FORMAT, serve
from ._settings import ServerSettings

__all__ = ["LOG_FORMAT", "PUBLIC_PATHS", "ServerSettings", "create_app", "serve"]
