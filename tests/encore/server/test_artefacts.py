"""Artefacts leave the server redacted once more with the secrets it can see for the run (its environment, the
workflow's references), whatever wrote them; a file outside the runs directory is never served."""

from __future__ import annotations

import asyncio
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import Response
from fastapi.responses import FileResponse

from encore._server._artefacts import artefact_response, visible_secrets
from encore._server._problems import Problem
from encore._store import RunRecord

SECRET = "hunter2-but-much-longer"


def _record(runs: Path, **artefacts: str) -> RunRecord:
    definition = {
        "id": "login",
        "parameters": [{"name": "site"}, {"name": "password", "secret": True}, {"name": "token", "secret": True}],
        "blocks": [{"label": "open", "kind": "goto", "url": "{{ site }}"}],
    }
    return RunRecord(id="r1", workflow="login", status="completed", params={"site": "http://127.0.0.1:9"},
                     params_digest="", queued_at=0.0, definition=definition, artefacts=artefacts)


def _body(response: Response) -> bytes:
    if isinstance(response, FileResponse):
        return Path(response.path).read_bytes()
    return bytes(response.body)


@pytest.fixture
def written(tmp_path: Path) -> tuple[Any, RunRecord]:
    runs = tmp_path / "runs"
    (runs / "r1").mkdir(parents=True)
    (runs / "r1" / "report.html").write_text(f"<p>typed {SECRET}</p>", encoding="utf-8")
    (runs / "r1" / "result.json").write_text(f'{{"note": "{SECRET}"}}', encoding="utf-8")
    with zipfile.ZipFile(runs / "r1" / "trace.zip", "w") as archive:
        archive.writestr("trace.trace", f'{{"type": "log", "message": "{SECRET}"}}\n')
    state = SimpleNamespace(settings=SimpleNamespace(runs_dir=runs))
    record = _record(runs, report=str(runs / "r1" / "report.html"), result=str(runs / "r1" / "result.json"),
                     trace=str(runs / "r1" / "trace.zip"))
    return state, record


def test_the_secrets_this_server_can_see_are_redacted_from_every_artefact(
    written: tuple[Any, RunRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    state, record = written
    monkeypatch.setenv("ENCORE_PARAM_PASSWORD", SECRET)
    monkeypatch.delenv("ENCORE_PARAM_TOKEN", raising=False)
    assert visible_secrets(record) == {"password": SECRET}  # the token is not here: left out, not an error
    report = _body(artefact_response(state, record, "report")).decode()
    assert SECRET not in report and "typed ***" in report
    assert SECRET.encode() not in _body(artefact_response(state, record, "result.json"))
    response = artefact_response(state, record, "trace.zip")
    with zipfile.ZipFile(io.BytesIO(_body(response))) as archive:
        assert SECRET.encode() not in archive.read("trace.trace")
    copy = Path(response.path)  # type: ignore[attr-defined]
    assert copy != Path(record.artefacts["trace"]) and response.background is not None
    asyncio.run(response.background())
    assert not copy.exists() and SECRET.encode() in Path(record.artefacts["trace"]).read_bytes()  # served a scrubbed copy


def test_with_no_secret_in_sight_the_file_is_served_as_written(written: tuple[Any, RunRecord], monkeypatch: pytest.MonkeyPatch) -> None:
    state, record = written
    monkeypatch.delenv("ENCORE_PARAM_PASSWORD", raising=False)
    monkeypatch.delenv("ENCORE_PARAM_TOKEN", raising=False)
    response = artefact_response(state, record, "report")
    assert isinstance(response, FileResponse) and Path(response.path) == Path(record.artefacts["report"]).resolve()


def test_a_file_outside_the_runs_directory_is_not_served(written: tuple[Any, RunRecord], tmp_path: Path) -> None:
    state, _ = written
    outside = tmp_path / "elsewhere.html"
    outside.write_text("x", encoding="utf-8")
    with pytest.raises(Problem) as refused:
        artefact_response(state, _record(state.settings.runs_dir, report=str(outside)), "report")
    assert refused.value.status == 404 and "outside this server's runs directory" in refused.value.detail
