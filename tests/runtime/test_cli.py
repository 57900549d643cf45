from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import compile_trace
from examples.site.server import PASSWORD
from runtime._cli import main
from tracer import Candidate, load_trace

from ..conftest import GOLDEN, ROOT, TRACES


def _run(
    tmp_path: Path, *args: str, password: str | None = PASSWORD, script: Path = GOLDEN / "login.py"
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_PARAM_")}
    if password is not None:
        env["ENCORE_PARAM_PASSWORD"] = password
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"email": "ada@example.com"}), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "runtime", "run", str(script), "--params", str(params),
         "--artifacts", str(tmp_path / "artifacts"), *args],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
    )


def _assert_no_secret(tmp_path: Path, *texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text
    for file in tmp_path.rglob("*"):
        if file.is_file() and file.name != "params.json":
            assert PASSWORD.encode() not in file.read_bytes(), file


def test_run_prints_each_step_and_exits_0(serve, tmp_path: Path) -> None:
    result = _run(tmp_path, "--base-url", serve().url)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ok")]
    assert [line.split()[1] for line in lines] == ["s1", "s2", "s3", "s4", "s5"]
    assert result.stdout.rstrip().endswith("done")
    _assert_no_secret(tmp_path, result.stdout, result.stderr)


def test_run_reports_the_fallback_it_used(serve, tmp_path: Path) -> None:
    # The sign-in button's first candidate names an id the page no longer has; the second one finds it.
    trace = load_trace(TRACES / "login.json")
    block = trace.blocks[0]
    click = block.steps[3].action
    stale = click.target.model_copy(update={"candidates": (Candidate(strategy="css", value="#signin"), *click.target.candidates[1:])})
    steps = (*block.steps[:3], block.steps[3].model_copy(update={"action": click.model_copy(update={"target": stale})}), *block.steps[4:])
    trace = trace.model_copy(update={"blocks": (block.model_copy(update={"steps": steps}),)})
    script = tmp_path / "login.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    result = _run(tmp_path, "--base-url", serve().url, script=script)
    assert result.returncode == 0, result.stderr
    assert "via fallback #1: #login-button" in result.stdout


def test_divergence_exits_1_with_json_and_no_secret(serve, tmp_path: Path) -> None:
    result = _run(tmp_path, "--base-url", serve("removed_element").url)
    assert result.returncode == 1
    report = json.loads(result.stdout[result.stdout.index("{"):])
    assert report["reason"] == "element_missing" and report["step_id"] == "s4"
    assert report["block"] == "Log in" and report["intention"] == "Submit the login form"
    assert Path(report["screenshot"]).is_file()
    _assert_no_secret(tmp_path, result.stdout, result.stderr)


def test_missing_parameter_exits_2_naming_it(serve, tmp_path: Path) -> None:
    result = _run(tmp_path, "--base-url", serve().url, password=None)
    assert result.returncode == 2
    assert "password: Field required" in result.stderr and "set ENCORE_PARAM_PASSWORD" in result.stderr


def test_not_a_script_exits_2(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.py"
    bogus.write_text("x = 1\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "runtime", "run", str(bogus)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 2 and "not an Encore script" in result.stderr


def test_browser_problems_are_refused_before_playwright_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    params = tmp_path / "params.json"
    params.write_text(json.dumps({"email": "ada@example.com", "password": PASSWORD}), encoding="utf-8")
    argv = ["run", str(GOLDEN / "login.py"), "--params", str(params), "--artifacts", str(tmp_path / "a")]
    monkeypatch.setenv("ENCORE_CHROMIUM", str(tmp_path / "missing-chromium"))
    assert main(argv) == 2
    assert capsys.readouterr().err == f"error: ENCORE_CHROMIUM={tmp_path / 'missing-chromium'}: no such file (point it at a Chromium binary, or unset it)\n"
    monkeypatch.delenv("ENCORE_CHROMIUM")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main([*argv, "--headed"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --headed needs a display") and len(err.splitlines()) == 1


def test_settle_timeout_flag_sets_the_option() -> None:
    from runtime._cli import _options, _parser

    given = _options(_parser().parse_args(["run", "x.py", "--settle-timeout", "3.5"]), None)
    assert given.settle_timeout == 3.5
    assert _options(_parser().parse_args(["run", "x.py"]), None).settle_timeout == 10.0  # the default
