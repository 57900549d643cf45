from __future__ import annotations

import json
import subprocess
import sys

from ..conftest import ROOT, TRACES


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tracer", *args], capture_output=True, text=True, cwd=ROOT, check=False)


def test_schema_prints_json_schema() -> None:
    result = _run("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout)["title"] == "Trace"


def test_show_lists_steps_with_intentions() -> None:
    result = _run("show", str(TRACES / "login.json"))
    assert result.returncode == 0
    assert "Submit the login form" in result.stdout
    assert "{secret password}" in result.stdout


def test_show_refuses_a_bad_trace(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "x"}')
    result = _run("show", str(bad))
    assert result.returncode == 2
    assert "start_url" in result.stderr and "bad.json" in result.stderr
