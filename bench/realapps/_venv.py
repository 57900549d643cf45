"""Virtual environments for application releases, made on demand with pip and kept between runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["CACHE", "Unavailable", "ensure_venv"]

CACHE = Path(os.environ.get("ENCORE_REALAPPS_CACHE", Path(__file__).resolve().parents[2] / ".encore" / "realapps"))

# What pip prints when the registry itself cannot be reached (as opposed to a broken package).
_UNREACHABLE = (
    "Could not find a version that satisfies",
    "No matching distribution found",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeout",
    "ReadTimeout",
)


class Unavailable(RuntimeError):
    """An application release cannot be installed here; `unreachable` when the registry did not answer."""

    def __init__(self, message: str, *, unreachable: bool) -> None:
        super().__init__(message)
        self.unreachable = unreachable


def ensure_venv(name: str, requirements: list[str]) -> Path:
    """`CACHE/name/venv` with `requirements` installed; reused as long as the requirements are the same."""
    home = CACHE / name / "venv"
    marker = home / ".realapps-installed"
    wanted = "\n".join(requirements)
    if marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        return home
    home.parent.mkdir(parents=True, exist_ok=True)
    if not (home / "bin" / "python").exists():
        _run([sys.executable, "-m", "venv", str(home)], name)
    _run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          # A wheel pip built from an sdist for another venv may carry that venv's data-file paths.
          "--no-cache-dir", *requirements], name)
    marker.write_text(wanted, encoding="utf-8")
    return home


def _run(command: list[str], name: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        output = (done.stderr or done.stdout).strip()
        tail = "\n".join(line for line in output.splitlines() if not line.startswith("WARNING: Location"))[-1500:]
        unreachable = any(mark in output for mark in _UNREACHABLE)
        raise Unavailable(f"{name}: `{' '.join(command[:4])} ...` failed:\n{tail}", unreachable=unreachable)
