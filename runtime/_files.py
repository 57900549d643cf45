"""Files named by trace data: downloads land only in the run's artefact folder, uploads come only from
file parameters (given at run time) or from the folder the user allows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._options import Options

__all__ = ["download_path", "upload_problem"]


def download_path(options: Options, save_as: str | None, suggested: str) -> Path:
    """Where a download is saved: the artefact folder, under the file name only (a trace's `save_as`
    directory, absolute path or `..` is ignored, and so is any in the server's suggested name)."""
    folder = options.artifacts_dir or Path(".encore/downloads")
    name = Path(save_as).name if save_as else Path(suggested.replace("\\", "/")).name
    if name in ("", ".", ".."):
        name = "download"
    return folder / name


def upload_problem(options: Options, value: Any) -> str | None:
    """Why `value` must not be uploaded, or None. A `Path` is a file parameter's value (the generated
    script types file parameters as `Path`); any other path must lie inside `options.upload_dir`."""
    path = Path(str(value))
    if not path.is_file():
        return f"file to upload does not exist: {path}"
    if isinstance(value, Path):
        return None
    allowed = options.upload_dir
    if allowed is not None and path.resolve().is_relative_to(Path(allowed).resolve()):
        return None
    return (
        f"refusing to upload {path}: the trace names it, and uploads come only from file parameters or from"
        " the folder allowed with --uploads (Options.upload_dir)"
    )
