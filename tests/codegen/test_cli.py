from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codegen._module import HEADER

from ..conftest import ROOT, TRACES

LOGIN = TRACES / "login.json"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args], capture_output=True, text=True, cwd=ROOT, input=stdin, check=False
    )


def test_stdout_and_output_file_agree(tmp_path: Path) -> None:
    out = tmp_path / "login.py"
    printed = _run(str(LOGIN))
    written = _run(str(LOGIN), "-o", str(out))
    assert printed.returncode == written.returncode == 0
    assert out.read_text(encoding="utf-8") == printed.stdout
    first, second, third = printed.stdout.splitlines()[:3]
    assert (first, second) == HEADER  # fixed text: nothing from the trace on the lines Python reads a coding from
    assert third.startswith("# Trace 'login', sha256 ")


def test_reads_standard_input_without_a_file() -> None:
    result = _run(stdin=LOGIN.read_text(encoding="utf-8"))
    assert result.returncode == 0
    assert result.stdout == _run(str(LOGIN)).stdout


def test_check_passes_when_up_to_date_and_fails_on_drift(tmp_path: Path) -> None:
    out = tmp_path / "login.py"
    assert _run(str(LOGIN), "-o", str(out)).returncode == 0
    assert _run(str(LOGIN), "-o", str(out), "--check").returncode == 0
    out.write_text(out.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")
    drift = _run(str(LOGIN), "-o", str(out), "--check")
    assert drift.returncode == 1
    assert "out of date" in drift.stderr
    assert (tmp_path / "missing.py").exists() is False
    assert _run(str(LOGIN), "-o", str(tmp_path / "missing.py"), "--check").returncode == 1


def test_bad_trace_exits_2_names_the_field_and_leaves_output_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(LOGIN.read_text(encoding="utf-8").replace('"kind": "click"', '"kind": "clack"'), encoding="utf-8")
    out = tmp_path / "out.py"
    out.write_text("previous contents\n", encoding="utf-8")
    result = _run(str(bad), "-o", str(out))
    assert result.returncode == 2
    assert "blocks.0.steps.3.action" in result.stderr and "clack" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "out.py"]


def test_unreadable_and_non_json_inputs_exit_2(tmp_path: Path) -> None:
    assert _run(str(tmp_path / "nope.json")).returncode == 2
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\xff\xfe not json")
    result = _run(str(garbage))
    assert result.returncode == 2 and "garbage.json" in result.stderr


def test_missing_fingerprint_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = LOGIN.read_text(encoding="utf-8")
    import json

    data = json.loads(text)
    del data["blocks"][0]["steps"][1]["action"]["target"]["fingerprint"]
    path = tmp_path / "nofp.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = _run(str(path))
    assert result.returncode == 0
    assert "warning: step s2: no fingerprint recorded" in result.stderr
