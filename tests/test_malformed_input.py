"""The malformed-input corpus through every command-line entry point: one clear line, exit 2, no output.

The corpus holds hostile input as well as broken input: 100 000 nested brackets, a 5000-digit integer, an
extraction schema nested 300 deep, a 400-byte YAML alias bomb, parameter names the generated code cannot
use (`_x`, `model_config`, `copy`), and workflow templates with loops or broken syntax.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from codegen._cli import main as codegen_main
from encore._cli import main as encore_main
from runtime._cli import main as runtime_main
from tracer._cli import main as tracer_main

from .conftest import ROOT

CORPUS = ROOT / "tests" / "fixtures" / "malformed"
TRACES = sorted((CORPUS / "traces").iterdir())
WORKFLOWS = sorted((CORPUS / "workflows").iterdir())
RECORDINGS = sorted((CORPUS / "recordings").iterdir())
PARAMS = sorted((CORPUS / "params").iterdir())


def _exit(main: Callable[[list[str]], int], argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exit_:  # argparse's own refusals
        return int(exit_.code or 0)


def _refused(main: Callable[[list[str]], int], argv: list[str], file: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = _exit(main, argv)
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert file.name in err, f"the message should name {file.name}: {err!r}"
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, f"one line, naming the file and the problem: {err!r}"
    assert len(err) < 1000 and not out
    return err


@pytest.mark.parametrize("trace", TRACES, ids=lambda p: p.name)
def test_tracer_show_refuses(trace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(tracer_main, ["show", str(trace)], trace, capsys)


@pytest.mark.parametrize("trace", TRACES, ids=lambda p: p.name)
def test_codegen_refuses_and_writes_nothing(trace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.py"
    _refused(codegen_main, [str(trace), "-o", str(out)], trace, capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("recording", RECORDINGS, ids=lambda p: p.name)
def test_tracer_import_refuses_and_writes_nothing(recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refused(tracer_main, ["import", str(recording), "-o", str(tmp_path / "trace.json")], recording, capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_encore_run_refuses(workflow: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["run", str(workflow), "--cache", str(tmp_path / "c.sqlite"), "--runs", str(tmp_path / "runs")]
    _refused(encore_main, argv, workflow, capsys)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: p.name)
def test_runtime_run_refuses_bad_parameters(params: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["run", str(ROOT / "golden" / "order_history.py"), "--params", str(params), "--artifacts", str(tmp_path / "a")]
    if params.name == "wrong_type.json":
        argv[1] = str(ROOT / "golden" / "login.py")
    _refused(runtime_main, argv, params, capsys)
    assert list(tmp_path.iterdir()) == []


def test_runtime_run_refuses_a_script_that_is_not_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in {"broken.py": "def (:\n", "plain.py": "x = 1\n", "raises.py": "raise SystemError('boom')\n"}.items():
        script = tmp_path / name
        script.write_text(text)
        _refused(runtime_main, ["run", str(script), "--artifacts", str(tmp_path / "a")], script, capsys)
    assert not (tmp_path / "a").exists()


def test_encore_cache_refuses_a_file_that_is_not_a_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "cache.sqlite"
    fake.write_text("this is not a database " * 200)
    _refused(encore_main, ["cache", "--cache", str(fake), "ls"], fake, capsys)
