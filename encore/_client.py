"""`encore.Client` and `encore.AsyncClient`: the HTTP API from Python, over httpx.

    client = encore.Client("http://127.0.0.1:8000", api_key=...)        # or ENCORE_URL / ENCORE_API_KEY
    run = client.runs.create("shop-login", params={"site": url})         # a stored workflow
    run = client.runs.get(run.id, wait=60)                               # long-polls to a final status
    client.cache.versions(workflow="shop-login"); client.cache.pin(version_id)

Each request is described once (`_Call`: method, path, query, body, how to read the answer); the sync
and async resources only send it. Errors are `EncoreAPIError` subclasses, one per status:

    EncoreAPIError
     ├── AuthenticationError   401  no key, or an unknown one
     ├── PermissionDeniedError 403  a revoked or read-only key
     ├── NotFoundError         404
     ├── ConflictError         409  e.g. canceling a finished run
     └── InvalidRequestError   422  `.errors` lists each field (`loc`) and what is wrong
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Self, TypeVar

import httpx
import yaml
from pydantic import TypeAdapter

from ._api_models import RunInfo, RunPage, ScheduleInfo, TaskSpec, VersionDiff, VersionInfo, WorkflowInfo
from ._webhook_signature import verify_webhook

__all__ = [
    "AsyncClient",
    "AuthenticationError",
    "Client",
    "ConflictError",
    "EncoreAPIError",
    "InvalidRequestError",
    "NotFoundError",
    "PermissionDeniedError",
]

T = TypeVar("T")
_DEFAULT_URL = "http://127.0.0.1:8000"


class EncoreAPIError(Exception):
    """The server refused or failed the request; `status_code`, `detail` (one line), `errors` (422 fields)."""

    def __init__(self, status_code: int, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(f"HTTP {status_code}: {detail}")
        self.status_code, self.detail, self.errors = status_code, detail, errors or []


class AuthenticationError(EncoreAPIError):
    """401: no API key, or one the server does not know."""


class PermissionDeniedError(EncoreAPIError):
    """403: a revoked key, or a read-only key asking for a change."""


class NotFoundError(EncoreAPIError):
    """404."""


class ConflictError(EncoreAPIError):
    """409: the request does not fit the resource's state (e.g. canceling a finished run)."""


class InvalidRequestError(EncoreAPIError):
    """422: `errors` names each field at fault (`loc`, e.g. ["body", "params", "site"]) and why."""


_ERRORS: dict[int, type[EncoreAPIError]] = {
    401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError, 409: ConflictError,
    422: InvalidRequestError,
}


def _raise_for(response: httpx.Response) -> None:
    if response.is_success:
        return
    try:
        body = response.json()
    except ValueError:
        body = {"detail": response.text[:500] or response.reason_phrase}
    detail = body.get("detail", "")
    errors = detail if isinstance(detail, list) else None
    message = body.get("message") or (detail if isinstance(detail, str) else json.dumps(detail))
    raise _ERRORS.get(response.status_code, EncoreAPIError)(response.status_code, message, errors)


def _json(response: httpx.Response) -> Any:
    return response.json()


@dataclass(frozen=True)
class _Call(Generic[T]):
    """One request and how to read its answer."""

    method: str
    path: str
    read: Callable[[httpx.Response], T]
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    timeout: float | None = None


def _model(kind: type[T]) -> Callable[[httpx.Response], T]:
    adapter: TypeAdapter[T] = TypeAdapter(kind)
    return lambda response: adapter.validate_json(response.content)


def _nothing(_response: httpx.Response) -> None:
    return None


def _query(**values: Any) -> dict[str, Any]:
    return {name: (v.isoformat() if isinstance(v, datetime) else v) for name, v in values.items() if v is not None}


# --- what each method sends -------------------------------------------------------------------------


def _create_run(
    workflow: str | None, definition: dict[str, Any] | None, task: TaskSpec | dict[str, Any] | None,
    params: dict[str, Any] | None, secrets: dict[str, str] | None, run_with: str, webhook_url: str | None,
) -> _Call[RunInfo]:
    body: dict[str, Any] = {"params": params or {}, "run_with": run_with}
    if workflow is not None:
        body["workflow"] = workflow
    if definition is not None:
        body["definition"] = definition
    if task is not None:
        body["task"] = task.model_dump(exclude_none=True) if isinstance(task, TaskSpec) else task
    if secrets:
        body["secrets"] = secrets
    if webhook_url is not None:
        body["webhook_url"] = webhook_url
    return _Call("POST", "/v1/runs", body=body, read=_model(RunInfo))


def _get_run(run_id: str, wait: float | None, timeout: float) -> _Call[RunInfo]:
    return _Call("GET", f"/v1/runs/{run_id}", params=_query(wait=wait), read=_model(RunInfo),
                 timeout=None if not wait else wait + timeout)


def _list_runs(status: str | list[str] | None, workflow: str | None, schedule_id: int | None,
               since: datetime | None, limit: int, offset: int) -> _Call[RunPage]:
    statuses = [status] if isinstance(status, str) else status
    params = _query(status=statuses, workflow=workflow, schedule_id=schedule_id, since=since, limit=limit, offset=offset)
    return _Call("GET", "/v1/runs", params=params, read=_model(RunPage))


def _workflow_definition(definition: dict[str, Any] | str | Path) -> dict[str, Any]:
    if isinstance(definition, dict):
        return definition
    path = Path(definition)
    text = path.read_text(encoding="utf-8")
    loaded = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise ValueError(f"{path}: not a workflow definition (expected a mapping)")  # noqa: TRY004 - bad content, not a bad argument
    return loaded


def _schedule(cron: str, workflow: str | None, definition: dict[str, Any] | None, params: dict[str, Any] | None,
              timezone: str, run_with: str) -> _Call[ScheduleInfo]:
    body = {"cron": cron, "timezone": timezone, "params": params or {}, "run_with": run_with}
    body |= {k: v for k, v in (("workflow", workflow), ("definition", definition)) if v is not None}
    return _Call("POST", "/v1/schedules", body=body, read=_model(ScheduleInfo))


# --- the clients ----------------------------------------------------------------------------------------


def _settings(base_url: str | None, api_key: str | None) -> tuple[str, dict[str, str]]:
    key = api_key or os.environ.get("ENCORE_API_KEY")
    if not key:
        raise ValueError("no API key: pass api_key= or set ENCORE_API_KEY (make one with `encore keys create`)")
    return base_url or os.environ.get("ENCORE_URL") or _DEFAULT_URL, {
        "Authorization": f"Bearer {key}", "User-Agent": "encore-python",
    }


class Client:
    """The HTTP API, synchronously. `base_url` defaults to ENCORE_URL, `api_key` to ENCORE_API_KEY."""

    verify_webhook = staticmethod(verify_webhook)
    """Check a webhook delivery's `Encore-Signature` (see `encore.verify_webhook`) before trusting its body."""

    def __init__(self, base_url: str | None = None, api_key: str | None = None, *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        url, headers = _settings(base_url, api_key)
        self.timeout = timeout
        self._http = httpx.Client(base_url=url, headers=headers, timeout=timeout, transport=transport)
        self.runs = Runs(self)
        self.cache = CacheVersions(self)
        self.schedules = Schedules(self)
        self.workflows = Workflows(self)

    def _send(self, call: _Call[T]) -> T:
        response = self._http.request(
            call.method, call.path, params=call.params or None, json=call.body,
            timeout=call.timeout if call.timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )
        _raise_for(response)
        return call.read(response)

    def close(self) -> None:
        """Close the HTTP connections (or use the client as a context manager)."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class AsyncClient:
    """The HTTP API with asyncio: the same resources as `Client`, each method awaited."""

    verify_webhook = staticmethod(verify_webhook)

    def __init__(self, base_url: str | None = None, api_key: str | None = None, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        url, headers = _settings(base_url, api_key)
        self.timeout = timeout
        self._http = httpx.AsyncClient(base_url=url, headers=headers, timeout=timeout, transport=transport)
        self.runs = AsyncRuns(self)
        self.cache = AsyncCacheVersions(self)
        self.schedules = AsyncSchedules(self)
        self.workflows = AsyncWorkflows(self)

    async def _send(self, call: _Call[T]) -> T:
        response = await self._http.request(
            call.method, call.path, params=call.params or None, json=call.body,
            timeout=call.timeout if call.timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )
        _raise_for(response)
        return call.read(response)

    async def aclose(self) -> None:
        """Close the HTTP connections (or use the client as an async context manager)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()


# --- resources: sync ------------------------------------------------------------------------------------


class Runs:
    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, workflow: str | None = None, *, definition: dict[str, Any] | None = None,
               task: TaskSpec | dict[str, Any] | None = None, params: dict[str, Any] | None = None,
               secrets: dict[str, str] | None = None, run_with: str = "code",
               webhook_url: str | None = None) -> RunInfo:
        """Start a run of a stored workflow (by id), an inline `definition` or a `task` ({"goal", "url", …}).
        `secrets` are held in memory by a server with an in-process worker, never stored."""
        call = _create_run(workflow, definition, task, params, secrets, run_with, webhook_url)
        return self._client._send(call)

    def get(self, run_id: str, *, wait: float | None = None) -> RunInfo:
        """The run; with `wait`, the server holds the request up to that many seconds (at most 120) for a final status."""
        return self._client._send(_get_run(run_id, wait, self._client.timeout))

    def wait(self, run_id: str, timeout: float = 600.0) -> RunInfo:
        """Long-poll until the run is final or `timeout` seconds have passed; the run as it is then."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            run = self.get(run_id, wait=max(0.0, min(60.0, left)))
            if run.final or left <= 0:
                return run

    def list(self, *, status: str | list[str] | None = None, workflow: str | None = None,
             schedule_id: int | None = None, since: datetime | None = None, limit: int = 50, offset: int = 0) -> RunPage:
        return self._client._send(_list_runs(status, workflow, schedule_id, since, limit, offset))

    def cancel(self, run_id: str) -> RunInfo:
        return self._client._send(_Call("POST", f"/v1/runs/{run_id}/cancel", read=_model(RunInfo)))

    def report(self, run_id: str) -> str:
        """The run's report.html."""
        return self._client._send(_Call("GET", f"/v1/runs/{run_id}/report", read=lambda r: r.text))

    def trace(self, run_id: str) -> bytes:
        """The run's Playwright trace.zip (`playwright show-trace` opens it)."""
        return self._client._send(_Call("GET", f"/v1/runs/{run_id}/trace.zip", read=lambda r: r.content))

    def result(self, run_id: str) -> dict[str, Any]:
        """The run's result.json: every block and step with its mode, time and divergence."""
        return self._client._send(_Call("GET", f"/v1/runs/{run_id}/result.json", read=_json))


class CacheVersions:
    def __init__(self, client: Client) -> None:
        self._client = client

    def versions(self, *, workflow: str | None = None, block: str | None = None) -> list[VersionInfo]:
        call = _Call("GET", "/v1/cache/versions", params=_query(workflow=workflow, block=block),
                     read=_model(list[VersionInfo]))
        return self._client._send(call)

    def version(self, version_id: int) -> VersionInfo:
        """One version, with its script."""
        return self._client._send(_Call("GET", f"/v1/cache/versions/{version_id}", read=_model(VersionInfo)))

    def trace(self, version_id: int) -> dict[str, Any]:
        return self._client._send(_Call("GET", f"/v1/cache/versions/{version_id}/trace", read=_json))

    def diff(self, version_id: int, *, against: int | None = None) -> VersionDiff:
        """Unified diff of the scripts; `against` defaults to the version this one replaced."""
        call = _Call("GET", f"/v1/cache/versions/{version_id}/diff", params=_query(against=against),
                     read=_model(VersionDiff))
        return self._client._send(call)

    def pin(self, version_id: int) -> VersionInfo:
        return self._client._send(_Call("POST", f"/v1/cache/versions/{version_id}/pin", read=_model(VersionInfo)))

    def unpin(self, version_id: int) -> VersionInfo:
        return self._client._send(_Call("DELETE", f"/v1/cache/versions/{version_id}/pin", read=_model(VersionInfo)))

    def remove(self, version_id: int) -> None:
        self._client._send(_Call("DELETE", f"/v1/cache/versions/{version_id}", read=_nothing))


class Schedules:
    def __init__(self, client: Client) -> None:
        self._client = client

    def create(self, cron: str, *, workflow: str | None = None, definition: dict[str, Any] | None = None,
               params: dict[str, Any] | None = None, timezone: str = "UTC", run_with: str = "code") -> ScheduleInfo:
        return self._client._send(_schedule(cron, workflow, definition, params, timezone, run_with))

    def list(self) -> list[ScheduleInfo]:
        return self._client._send(_Call("GET", "/v1/schedules", read=_model(list[ScheduleInfo])))

    def get(self, schedule_id: int) -> ScheduleInfo:
        return self._client._send(_Call("GET", f"/v1/schedules/{schedule_id}", read=_model(ScheduleInfo)))

    def update(self, schedule_id: int, **changes: Any) -> ScheduleInfo:
        """Change any of cron, timezone, params, run_with, paused."""
        call = _Call("PATCH", f"/v1/schedules/{schedule_id}", body=changes, read=_model(ScheduleInfo))
        return self._client._send(call)

    def pause(self, schedule_id: int) -> ScheduleInfo:
        return self.update(schedule_id, paused=True)

    def resume(self, schedule_id: int) -> ScheduleInfo:
        return self.update(schedule_id, paused=False)

    def delete(self, schedule_id: int) -> None:
        self._client._send(_Call("DELETE", f"/v1/schedules/{schedule_id}", read=_nothing))


class Workflows:
    def __init__(self, client: Client) -> None:
        self._client = client

    def put(self, definition: dict[str, Any] | str | Path, workflow_id: str | None = None) -> WorkflowInfo:
        """Store a workflow (a definition, or a YAML/JSON file) under its id, replacing any stored before."""
        data = _workflow_definition(definition)
        call = _Call("PUT", f"/v1/workflows/{workflow_id or data.get('id', '')}", body=data, read=_model(WorkflowInfo))
        return self._client._send(call)

    def get(self, workflow_id: str) -> WorkflowInfo:
        return self._client._send(_Call("GET", f"/v1/workflows/{workflow_id}", read=_model(WorkflowInfo)))

    def list(self) -> list[WorkflowInfo]:
        return self._client._send(_Call("GET", "/v1/workflows", read=_model(list[WorkflowInfo])))

    def delete(self, workflow_id: str) -> None:
        self._client._send(_Call("DELETE", f"/v1/workflows/{workflow_id}", read=_nothing))


# --- resources: async -----------------------------------------------------------------------------------


class AsyncRuns:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(self, workflow: str | None = None, *, definition: dict[str, Any] | None = None,
                     task: TaskSpec | dict[str, Any] | None = None, params: dict[str, Any] | None = None,
                     secrets: dict[str, str] | None = None, run_with: str = "code",
                     webhook_url: str | None = None) -> RunInfo:
        call = _create_run(workflow, definition, task, params, secrets, run_with, webhook_url)
        return await self._client._send(call)

    async def get(self, run_id: str, *, wait: float | None = None) -> RunInfo:
        return await self._client._send(_get_run(run_id, wait, self._client.timeout))

    async def wait(self, run_id: str, timeout: float = 600.0) -> RunInfo:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            run = await self.get(run_id, wait=max(0.0, min(60.0, left)))
            if run.final or left <= 0:
                return run

    async def list(self, *, status: str | list[str] | None = None, workflow: str | None = None,
                   schedule_id: int | None = None, since: datetime | None = None, limit: int = 50,
                   offset: int = 0) -> RunPage:
        return await self._client._send(_list_runs(status, workflow, schedule_id, since, limit, offset))

    async def cancel(self, run_id: str) -> RunInfo:
        return await self._client._send(_Call("POST", f"/v1/runs/{run_id}/cancel", read=_model(RunInfo)))

    async def report(self, run_id: str) -> str:
        return await self._client._send(_Call("GET", f"/v1/runs/{run_id}/report", read=lambda r: r.text))

    async def trace(self, run_id: str) -> bytes:
        return await self._client._send(_Call("GET", f"/v1/runs/{run_id}/trace.zip", read=lambda r: r.content))

    async def result(self, run_id: str) -> dict[str, Any]:
        return await self._client._send(_Call("GET", f"/v1/runs/{run_id}/result.json", read=_json))


class AsyncCacheVersions:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def versions(self, *, workflow: str | None = None, block: str | None = None) -> list[VersionInfo]:
        call = _Call("GET", "/v1/cache/versions", params=_query(workflow=workflow, block=block),
                     read=_model(list[VersionInfo]))
        return await self._client._send(call)

    async def version(self, version_id: int) -> VersionInfo:
        return await self._client._send(_Call("GET", f"/v1/cache/versions/{version_id}", read=_model(VersionInfo)))

    async def trace(self, version_id: int) -> dict[str, Any]:
        return await self._client._send(_Call("GET", f"/v1/cache/versions/{version_id}/trace", read=_json))

    async def diff(self, version_id: int, *, against: int | None = None) -> VersionDiff:
        call = _Call("GET", f"/v1/cache/versions/{version_id}/diff", params=_query(against=against),
                     read=_model(VersionDiff))
        return await self._client._send(call)

    async def pin(self, version_id: int) -> VersionInfo:
        return await self._client._send(_Call("POST", f"/v1/cache/versions/{version_id}/pin", read=_model(VersionInfo)))

    async def unpin(self, version_id: int) -> VersionInfo:
        return await self._client._send(_Call("DELETE", f"/v1/cache/versions/{version_id}/pin", read=_model(VersionInfo)))

    async def remove(self, version_id: int) -> None:
        await self._client._send(_Call("DELETE", f"/v1/cache/versions/{version_id}", read=_nothing))


class AsyncSchedules:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def create(self, cron: str, *, workflow: str | None = None, definition: dict[str, Any] | None = None,
                     params: dict[str, Any] | None = None, timezone: str = "UTC",
                     run_with: str = "code") -> ScheduleInfo:
        return await self._client._send(_schedule(cron, workflow, definition, params, timezone, run_with))

    async def list(self) -> list[ScheduleInfo]:
        return await self._client._send(_Call("GET", "/v1/schedules", read=_model(list[ScheduleInfo])))

    async def get(self, schedule_id: int) -> ScheduleInfo:
        return await self._client._send(_Call("GET", f"/v1/schedules/{schedule_id}", read=_model(ScheduleInfo)))

    async def update(self, schedule_id: int, **changes: Any) -> ScheduleInfo:
        call = _Call("PATCH", f"/v1/schedules/{schedule_id}", body=changes, read=_model(ScheduleInfo))
        return await self._client._send(call)

    async def pause(self, schedule_id: int) -> ScheduleInfo:
        return await self.update(schedule_id, paused=True)

    async def resume(self, schedule_id: int) -> ScheduleInfo:
        return await self.update(schedule_id, paused=False)

    async def delete(self, schedule_id: int) -> None:
        await self._client._send(_Call("DELETE", f"/v1/schedules/{schedule_id}", read=_nothing))


class AsyncWorkflows:
    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def put(self, definition: dict[str, Any] | str | Path, workflow_id: str | None = None) -> WorkflowInfo:
        data = _workflow_definition(definition)
        call = _Call("PUT", f"/v1/workflows/{workflow_id or data.get('id', '')}", body=data, read=_model(WorkflowInfo))
        return await self._client._send(call)

    async def get(self, workflow_id: str) -> WorkflowInfo:
        return await self._client._send(_Call("GET", f"/v1/workflows/{workflow_id}", read=_model(WorkflowInfo)))

    async def list(self) -> list[WorkflowInfo]:
        return await self._client._send(_Call("GET", "/v1/workflows", read=_model(list[WorkflowInfo])))

    async def delete(self, workflow_id: str) -> None:
        await self._client._send(_Call("DELETE", f"/v1/workflows/{workflow_id}", read=_nothing))
