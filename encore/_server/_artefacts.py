"""A run's files as the API serves them: only from under the server's runs directory, and redacted once more,
on the way out, with every secret this server can see for the run's workflow (its environment and the
workflow's references): the runner redacted them when it wrote them; this holds even if a file was written
by an older version or copied in by hand."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from fastapi import Response
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from tracer import Redactor

from .._scrub import scrub_zip
from .._secrets import worker_secrets
from .._store import RunRecord
from .._workflow import WorkflowError, parse_workflow
from ._problems import Problem
from ._state import ServerState

__all__ = ["ARTEFACTS", "artefact_path", "artefact_response", "visible_secrets"]

ARTEFACTS = {"report": ("report", "text/html; charset=utf-8"), "trace.zip": ("trace", "application/zip"),
             "result.json": ("result", "application/json")}
"""Each artefact's name in the API: (its key in the run's `artefacts`, its media type)."""

# The report is a self-contained page (inline styles, screenshots as data: URLs) built from page content:
# it may load nothing and run nothing.
_REPORT_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
}


def artefact_path(state: ServerState, record: RunRecord, kind: str) -> Path:
    """The artefact's file, if this server can read it: it must lie under the server's runs directory."""
    field = ARTEFACTS[kind][0]
    recorded = (record.artefacts or {}).get(field)
    if not recorded:
        raise Problem(404, f"run {record.id} has no {kind}" + ("" if record.final else " yet"))
    path = Path(recorded).resolve()
    root = state.settings.runs_dir.resolve()
    if not path.is_relative_to(root) or not path.is_file():
        host = record.artefacts.get("host", "its worker")
        raise Problem(
            404, f"the {kind} of run {record.id} is on {host}, outside this server's runs directory ({root}): "
            "give servers and workers one shared runs directory (--runs)",
        )
    return path


def visible_secrets(record: RunRecord) -> dict[str, str]:
    """The run's secret values this process can resolve (ENCORE_PARAM_<NAME>, or the workflow's reference);
    a secret it cannot see (given inline, or only on another host) is left out."""
    if not record.definition:
        return {}
    try:
        workflow = parse_workflow(record.definition, f"run {record.id}")
    except WorkflowError:
        return {}
    found: dict[str, str] = {}
    for parameter in (p for p in workflow.parameters if p.secret):
        try:
            found |= worker_secrets(workflow.model_copy(update={"parameters": [parameter]}))
        except WorkflowError:
            continue
    return found


def artefact_response(state: ServerState, record: RunRecord, kind: str) -> Response:
    """The file, redacted with `visible_secrets`; a trace.zip is scrubbed in a temporary copy."""
    path = artefact_path(state, record, kind)
    media_type = ARTEFACTS[kind][1]
    headers = _REPORT_HEADERS if kind == "report" else {"X-Content-Type-Options": "nosniff"}
    filename = None if kind == "report" else f"{record.id}-{kind}"
    redactor = Redactor(visible_secrets(record))
    if not redactor:
        return FileResponse(path, media_type=media_type, headers=headers, filename=filename)
    if kind != "trace.zip":
        response = Response(redactor.bytes(path.read_bytes()), media_type=media_type, headers=headers)
        if filename:
            response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    scratch = Path(tempfile.mkdtemp(prefix="encore-artefact-"))
    copy = scratch / "trace.zip"
    shutil.copyfile(path, copy)
    scrub_zip(copy, redactor)
    return FileResponse(copy, media_type=media_type, headers=headers, filename=filename,
                        background=BackgroundTask(shutil.rmtree, scratch, ignore_errors=True))
