"""A scratch folder per run for the browser's temporary files, removed even when the run was killed.

Playwright keeps its artifacts (trace chunks, downloads) and Chromium its profile under the system's
temporary folder; both may hold what was typed, secrets included. A run points them at its own folder
(`<runs>/.tmp/<run id>`, private to the user), removes it when it ends, and first removes the folders of
earlier runs that no longer hold their lock: a run killed with SIGKILL leaves nothing behind for long.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # not POSIX: folders are still removed at the end of a run, not swept after a kill
    fcntl = None  # type: ignore[assignment]

__all__ = ["scratch_folder", "sweep", "temporary_directory_for_children"]

_LOCK = ".lock"


def sweep(root: Path) -> list[Path]:
    """Remove the scratch folders under `root` whose run is gone (their lock is free); returns them."""
    removed = []
    if fcntl is None or not root.is_dir():
        return removed
    for folder in root.iterdir():
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            with open(folder / _LOCK, "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live run holds it
        except OSError:
            pass  # no lock file: a run killed before it took one
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


@contextmanager
def scratch_folder(root: Path, run_id: str) -> Iterator[Path]:
    """A private folder for this run, locked while it runs; the browser's TMPDIR while it starts."""
    root.mkdir(parents=True, exist_ok=True)
    sweep(root)
    folder = root / run_id
    folder.mkdir(mode=0o700)
    lock: IO[str] = open(folder / _LOCK, "w")  # noqa: SIM115 - held for the whole run
    try:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield folder
    finally:
        lock.close()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def temporary_directory_for_children(folder: Path) -> Iterator[None]:
    """TMPDIR (and TMP, TEMP) set to `folder` while child processes start, then restored."""
    names = ("TMPDIR", "TMP", "TEMP")
    previous = {name: os.environ.get(name) for name in names}
    os.environ.update({name: str(folder) for name in names})
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
