"""The FastAPI application: the /v1 API (every route behind an API key), the web UI, errors, the request guard."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.security import HTTPBearer

from . import _routes_cache, _routes_runs, _routes_schedules, _routes_workflows, _ui
from ._auth import authenticate
from ._middleware import RequestGuard
from ._problems import ERROR_RESPONSES
from ._problems import install as install_problems
from ._settings import ServerSettings
from ._state import ServerState

__all__ = ["PUBLIC_PATHS", "create_app"]

PUBLIC_PATHS = ("/openapi.json", "/ui/login", "/ui/logout", "/static")
"""What answers without a key: the API's description, signing in and out, the UI's stylesheet and script."""

_DESCRIPTION = """Run cached browser workflows from code: start runs, long-poll them, read their reports,
manage cache versions and schedules. Every request needs an API key (`encore keys create`) in
`Authorization: Bearer <key>`. Webhooks are signed: see `encore.verify_webhook`."""

# Declares the scheme in /openapi.json; `authenticate` does the checking (401 and 403 with one-line details).
_bearer = HTTPBearer(auto_error=False, description="An API key made by `encore keys create`.")


def create_app(settings: ServerSettings, state: ServerState | None = None) -> FastAPI:
    """The application; the store is opened (and migrated) here, the worker and webhooks start with the server."""
    shared = state or ServerState(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await shared.start()
        try:
            yield
        finally:
            await shared.stop()

    from importlib.metadata import version

    app = FastAPI(
        title="Encore", version=version("encore"), description=_DESCRIPTION, lifespan=lifespan,
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
    )
    app.state.encore = shared
    install_problems(app)
    guarded = [Depends(_bearer), Depends(authenticate)]
    for module in (_routes_runs, _routes_cache, _routes_schedules, _routes_workflows):
        app.include_router(module.router, dependencies=guarded, responses=ERROR_RESPONSES)
    _ui.install(app)
    app.add_middleware(RequestGuard, log_requests=settings.access_log)
    return app
