"""Class 6, output paths: `codegen -o` onto its own input (by name or hard link), onto a device or a folder,
or through a symbolic link is refused with one line and exit 2, and nothing is written or replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from codegen._cli import main as codegen_main

from ..conftest import TRACES

LOGIN = TRACES / "login.json"


def test_output_onto_its_input_a_device_or_through_a_link_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
        code = codegen_main([str(trace), "-o", str(output)])
        out, err = capsys.readouterr()
        assert code == 2, output
        assert why in err and str(output) in err and len(err.splitlines()) == 1 and not out
    assert trace.read_text(encoding="utf-8") == original and target.read_text(encoding="utf-8") == "kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "hard.json", "link.py", "login.json", "target.py"]
