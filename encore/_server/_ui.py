"""The web UI: server-rendered pages (Jinja2) over the same store as the API, with a small script for live
fragments and actions. A browser signs in with an API key, kept in an HttpOnly, SameSite=Strict cookie."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .._api_models import RUN_STATUSES, RunInfo
from .._store import Version
from ._artefacts import artefact_path
from ._auth import COOKIE, Caller, check
from ._problems import Problem
from ._routes_cache import diff_versions, find_version, previous_version
from ._routes_runs import find_run
from ._state import ServerState, state_of
from ._views import run_info, schedule_info, version_info, workflow_info

__all__ = ["install"]

_HERE = Path(__file__).resolve().parent
_templates = Jinja2Templates(directory=_HERE / "templates")
router = APIRouter(prefix="/ui", include_in_schema=False)

_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class _SignIn(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def _caller(request: Request) -> Caller:
    try:
        return check(request)
    except Problem:
        raise _SignIn(request.url.path + (f"?{request.url.query}" if request.url.query else "")) from None


def _when(moment: datetime | None) -> str:
    return "–" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _took(run: RunInfo) -> str:
    if run.started_at is None or run.finished_at is None:
        return "–"
    return f"{(run.finished_at - run.started_at).total_seconds():.1f}s"


_templates.env.globals.update(when=_when, took=_took)


def _page(request: Request, template: str, section: str, caller: Caller | None, http_status: int = 200,
          **context: Any) -> HTMLResponse:
    return _templates.TemplateResponse(
        request, template, {"caller": caller, "section": section, **context}, status_code=http_status,
        headers=_PAGE_HEADERS,
    )


@dataclass
class _Diff:
    title: str
    from_id: int | None
    lines: list[dict[str, str]]


def _diff(old: Version | None, new: Version) -> _Diff:
    lines = []
    for line in diff_versions(old, new).splitlines():
        if line.startswith(("---", "+++", "@@")):
            kind = "hunk"
        else:
            kind = {"+": "add", "-": "del"}.get(line[:1], "")
        lines.append({"kind": kind, "text": line})
    title = f"v{old.version} → v{new.version}" if old else f"v{new.version} (first version)"
    return _Diff(title, old.id if old else None, lines)


# --- signing in --------------------------------------------------------------------------------


def _local(path: str) -> str:
    """Only a path of this UI: a `next` pointing elsewhere would make the sign-in page an open redirect."""
    return path if path.startswith("/ui/") and not path.startswith("//") else "/ui/runs"


@router.get("/login")
def login_page(request: Request, next: str = "/ui/runs") -> HTMLResponse:
    return _page(request, "login.html", "", None, next=_local(next), error="")


@router.post("/login")
async def login(request: Request) -> Response:
    form = parse_qs((await request.body()).decode("utf-8", "replace"))
    presented, next_path = (form.get("key") or [""])[0].strip(), _local((form.get("next") or ["/ui/runs"])[0])
    key = await state_of(request).key_lookup.lookup(presented) if presented else None
    if key is None or key.revoked:
        error = "That key is revoked." if key is not None else "Unknown API key."
        return _page(request, "login.html", "", None, http_status=401, next=next_path, error=error)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(COOKIE, presented, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                        path="/")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


# --- runs --------------------------------------------------------------------------------------


def _runs(state: ServerState, status: str, workflow: str) -> list[RunInfo]:
    records = state.reads.list(status=status or None, workflow=workflow or None, limit=100)
    return [run_info(r) for r in records]


def _filters(status: str, workflow: str) -> tuple[str, str]:
    if status and status not in RUN_STATUSES:
        raise Problem(422, f"status {status!r}: one of {', '.join(RUN_STATUSES)}")
    query = urlencode({k: v for k, v in (("status", status), ("workflow", workflow)) if v})
    return status, ("?" + query if query else "")


@router.get("/runs")
def runs_page(request: Request, status: str = "", workflow: str = "") -> HTMLResponse:
    caller = _caller(request)
    status, query = _filters(status, workflow)
    return _page(request, "runs.html", "Runs", caller, runs=_runs(state_of(request), status, workflow),
                 statuses=RUN_STATUSES, status=status, workflow=workflow, query=query)


@router.get("/runs/rows")
def runs_rows(request: Request, status: str = "", workflow: str = "") -> HTMLResponse:
    check(request)
    status, _ = _filters(status, workflow)
    return _page(request, "_run_rows.html", "Runs", None, runs=_runs(state_of(request), status, workflow),
                 status=status, workflow=workflow)


def _run_context(state: ServerState, run_id: str) -> dict[str, Any]:
    record = find_run(state, run_id)
    run = run_info(record, state.deliveries.for_run(run_id))
    diffs = []
    slot_versions = [] if not run.repairs else [
        v for v in state.store.versions.versions(record.workflow) if v.slot.cache_key == record.cache_key
    ]
    for repair in run.repairs:
        by_number = {v.version: v for v in slot_versions if (v.slot.block, v.slot.branch) == (repair.block, repair.branch)}
        new = by_number.get(repair.to_version) if repair.to_version is not None else None
        if new is not None:
            diffs.append(_diff(by_number.get(repair.from_version) if repair.from_version is not None else None, new))
            diffs[-1].title = f"{repair.block} {diffs[-1].title}"
    try:
        readable = bool(run.artefacts.report) and artefact_path(state, record, "report").is_file()
    except Problem:
        readable = False
    return {
        "run": run, "diffs": diffs, "report_readable": readable,
        "params_json": json.dumps(run.params, indent=2, ensure_ascii=False),
        "outputs_json": json.dumps(run.outputs, indent=2, ensure_ascii=False, default=str),
    }


@router.get("/runs/{run_id}")
def run_page(run_id: str, request: Request) -> HTMLResponse:
    caller = _caller(request)
    return _page(request, "run.html", "Runs", caller, **_run_context(state_of(request), run_id))


@router.get("/runs/{run_id}/detail")
def run_detail(run_id: str, request: Request) -> HTMLResponse:
    check(request)
    return _page(request, "_run_detail.html", "Runs", None, **_run_context(state_of(request), run_id))


# --- cache -------------------------------------------------------------------------------------


@router.get("/cache")
def cache_page(request: Request, workflow: str = "") -> HTMLResponse:
    caller = _caller(request)
    slots: dict[str, list[Any]] = defaultdict(list)
    for version in state_of(request).store.versions.versions(workflow or None):
        slots[version.slot.describe()].append(version_info(version))
    return _page(request, "cache.html", "Cache", caller, slots=sorted(slots.items()), workflow=workflow)


@router.get("/cache/{version_id}")
def version_page(version_id: int, request: Request, against: int | None = None) -> HTMLResponse:
    caller = _caller(request)
    state = state_of(request)
    version = find_version(state, version_id)
    old = find_version(state, against) if against is not None else previous_version(state, version)
    siblings = [v for v in state.store.versions.versions(version.slot.workflow, version.slot.block) if v.slot == version.slot]
    return _page(request, "version.html", "Cache", caller, version=version_info(version, script=True),
                 slot=version.slot.describe(), d=_diff(old, version), siblings=[version_info(v) for v in siblings])


# --- schedules and workflows -------------------------------------------------------------------


@router.get("/schedules")
def schedules_page(request: Request) -> HTMLResponse:
    caller = _caller(request)
    state = state_of(request)
    return _page(request, "schedules.html", "Schedules", caller,
                 schedules=[schedule_info(s) for s in state.store.schedules.list()],
                 workflows=[workflow_info(w) for w in state.workflows.list()])


@router.get("/workflows")
def workflows_page(request: Request) -> HTMLResponse:
    caller = _caller(request)
    return _page(request, "workflows.html", "Workflows", caller,
                 workflows=[workflow_info(w) for w in state_of(request).workflows.list()])


async def _sign_in(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, _SignIn)
    return RedirectResponse("/ui/login?" + urlencode({"next": exc.next_path}), status_code=303)


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")
    app.add_exception_handler(_SignIn, _sign_in)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/ui/runs", status_code=303)
