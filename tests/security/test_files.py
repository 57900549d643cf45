"""Class 5, files named by trace data: a download lands in the run's artefact folder whatever path the trace
(or the server) names; an upload comes only from a file parameter's value or from the folder the user
allowed, never from a path the trace names elsewhere (a symbolic link out of the folder included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page
from pydantic import BaseModel

from runtime import DivergenceError, Options, Steps
from tracer import TraceError, trace_from_data

DOWNLOAD = '<a id="get" href="data:text/csv,order%2Cprice" download="../../../report.csv">Download</a>'
UPLOAD = '<label>File <input id="file" type="file"></label>'


class _Params(BaseModel):
    pass


def _steps(page: Page, tmp_path: Path, **options: object) -> Steps:
    return Steps(page, _Params(), {}, start_url="about:blank",
                 options=Options(artifacts_dir=tmp_path / "artifacts", locate_timeout=0.5, **options))  # type: ignore[arg-type]


@pytest.mark.parametrize("save_as", ["../../../outside.csv", "/tmp/encore-outside.csv", None])
async def test_downloads_land_in_the_artefact_folder_only(page: Page, tmp_path: Path, save_as: str | None) -> None:
    await page.set_content(DOWNLOAD)
    path = await _steps(page, tmp_path).download("d", [page.locator("#get")], save_as=save_as)
    assert path.parent == tmp_path / "artifacts" and path.read_text() == "order,price"
    assert path.name == Path(save_as).name if save_as else path.name.endswith("report.csv")  # the browser's own name
    assert not Path("/tmp/encore-outside.csv").exists() and not (tmp_path.parent / "outside.csv").exists()


async def test_uploads_come_from_file_parameters_or_the_allowed_folder(page: Page, tmp_path: Path) -> None:
    await page.set_content(UPLOAD)
    secret_file = tmp_path / "private" / "id_rsa"
    secret_file.parent.mkdir()
    secret_file.write_text("PRIVATE KEY")
    allowed = tmp_path / "uploads"
    allowed.mkdir()
    (allowed / "note.txt").write_text("note")
    (allowed / "link.txt").symlink_to(secret_file)

    refused = [str(secret_file), str(allowed / "link.txt"), str(allowed / ".." / "private" / "id_rsa")]
    for path in refused:
        with pytest.raises(DivergenceError, match="refusing to upload") as info:
            await _steps(page, tmp_path, upload_dir=allowed).upload_file("u", [page.locator("#file")], [path])
        assert info.value.divergence.reason == "action_failed"
    with pytest.raises(DivergenceError, match="refusing to upload"):  # no folder allowed: a trace path never goes
        await _steps(page, tmp_path).upload_file("u", [page.locator("#file")], [str(allowed / "note.txt")])
    assert await page.evaluate("document.getElementById('file').files.length") == 0

    await _steps(page, tmp_path, upload_dir=allowed).upload_file("u", [page.locator("#file")], [str(allowed / "note.txt")])
    assert await page.evaluate("document.getElementById('file').files[0].name") == "note.txt"
    given = tmp_path / "given.txt"  # a file parameter's value (a Path in the generated Params) is the user's choice
    given.write_text("given")
    await _steps(page, tmp_path).upload_file("u", [page.locator("#file")], [given])
    assert await page.evaluate("document.getElementById('file').files[0].name") == "given.txt"


def test_a_file_parameter_cannot_name_a_default_file() -> None:
    data = {"id": "t", "start_url": "http://h/", "parameters": [{"name": "doc", "type": "file", "default": "/etc/passwd"}],
            "blocks": [{"label": "b", "steps": [{"id": "s1", "intention": "x", "action": {"kind": "goto", "url": "http://h/"}}]}]}
    with pytest.raises(TraceError, match="file parameter cannot have a default"):
        trace_from_data(data, "t.json")
