"""Class 6, output paths: `codegen -o` onto its own input (by name or hard link), onto a device or a folder,
or through a symbolic link is refused with one line and exit 2, and nothing is written or replaced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..conftest import ROOT, TRACES

LOGIN = TRACES / "login.json"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codegen", *args], capture_output=True, text=True, cwd=ROOT, check=False)


def test_output_onto_its_input_a_device_or_through_a_link_is_refused(tmp_path: Path) -> None:
    trace = tmp_path / "login.json"
    original = LOGIN.read_text(encoding="utf-8")
    trace.write_text(original, encoding="utf-8")
    (tmp_path / "hard.json").hardlink_to(trace)
    target = tmp_path / "target.py"
    target.write_text("kept\n", encoding="utf-8")
    (tmp_path / "link.py").symlink_to(target)
    (tmp_path / "folder").mkdir()
    for output, why in [(trace, "it is the input trace"), (tmp_path / "hard.json", "it is the input trace"),
                        (tmp_path / "link.py", "symbolic link"), (Path("/dev/null"), "not a regular file"),
                        (tmp_path / "folder", "not a regular file")]:
        result = _run(str(trace), "-o", str(output))
        assert result.returncode == 2, output
        assert why in result.stderr and str(output) in result.stderr and len(result.stderr.splitlines()) == 1
    assert trace.read_text(encoding="utf-8") == original and target.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "hard.json", "link.py", "login.json", "target.py"]
