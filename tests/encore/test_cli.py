"""`encore`: run-task and run as a cron job would (exit codes, --json, progress), the cache commands,
and every refusal: one line on stderr, exit 2, no traceback, nothing started or written."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import compile_trace
from encore import BlockResult, Cache, RunResult, Slot, StepReport, parse_workflow
from encore._cli import main
from encore._commands._run import summary
from encore._params import cache_key
from examples.model import ScriptedModel
from examples.site.server import PASSWORD
from tracer import load_trace

from ..agent.scripted import login_script
from ..conftest import ROOT, TRACES
from ..runtime.helpers import EMAIL


def encore(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "encore", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=cwd or ROOT,
        timeout=120,
        check=False,
    )


def test_run_task_records_then_replays_from_the_cache(serve, model: ScriptedModel, tmp_path: Path) -> None:
    site = serve()
    model.script(*login_script())
    env = {"OPENAI_BASE_URL": model.url, "OPENAI_API_KEY": "k", "ENCORE_PARAM_PASSWORD": PASSWORD}
    command = [
        "run-task", "Sign in to the shop", "--url", site.url + "/login", "--param", f"email={EMAIL}",
        "--secret", "password", "--task-id", "login", "--cache", str(tmp_path / "c.sqlite"),
        "--runs", str(tmp_path / "runs"),
    ]
    first = encore(*command, "--progress", env=env)
    assert first.returncode == 0, first.stderr + first.stdout
    assert first.stdout.startswith("succeeded: login") and "ran 1 block by the agent" in first.stdout
    assert " agent " in first.stdout and "4 LLM calls" in first.stdout
    progress = first.stderr.splitlines()
    assert progress[0] == "[task] task" and progress[-1].startswith("[task] ok: agent -> v1")
    assert any("agent-3" in line and "click" in line for line in progress)  # one line per agent step, live

    second = encore(*command, "--json", "--no-trace", "--progress",
                    env={**env, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert second.returncode == 0, second.stderr
    result = json.loads(second.stdout)  # progress went to stderr: stdout is the JSON alone
    assert (result["status"], result["llm_calls"], result["blocks"][0]["mode"]) == ("succeeded", 0, "code")
    assert any(line.split()[1:3] == ["s1", "goto"] for line in second.stderr.splitlines() if line.startswith("[task]   "))
    for output in (first.stdout, first.stderr, second.stdout, second.stderr):
        assert PASSWORD not in output
    for file in (tmp_path / "runs").rglob("*"):
        if file.is_file() and file.suffix in (".html", ".json"):
            assert PASSWORD not in file.read_text(encoding="utf-8"), file

    listing = encore("cache", "ls", "--cache", str(tmp_path / "c.sqlite"))  # options after the action too
    assert listing.returncode == 0, listing.stderr
    header, row = listing.stdout.splitlines()
    assert header.split() == ["ID", "SLOT", "VERSION", "ORIGIN", "CREATED", "(UTC)", "SHA256"]
    assert "login [default@" in row and " v1 " in row and " agent " in row


def test_the_summary_shows_what_ran_and_the_extracted_outputs() -> None:
    result = RunResult(
        run_id="r", workflow="orders", cache_key="k", run_with="code", status="succeeded", seconds=1.5,
        blocks=[
            BlockResult(label="login", kind="login", mode="code", ok=True, version=2, steps=[
                StepReport(step_id="s1", action="fill", intention="e-mail", mode="code", seconds=0.1, fallback=True,
                           candidate=2, selector='page.locator("#email")'),
            ]),
            BlockResult(label="history", kind="extraction", mode="agent", ok=True, new_version=1, llm_calls=3),
        ],
        outputs={"history": {"total": 1070.49}}, llm_calls=3, failed_llm_calls=1, cost_usd=None, report="r/report.html",
    )
    lines = summary(result).splitlines()
    assert lines[0] == ("succeeded: orders [k] in 1.50s; ran 1 block from cached code, 1 by the agent;"
                        " 3 LLM calls (1 failed), cost unknown")
    assert "1 on fallback selectors" in lines[1] and lines[2].split()[:3] == ["history", "agent", "->"]
    assert json.loads("\n".join(lines[3:-1])[len("outputs: "):]) == {"history": {"total": 1070.49}}
    assert lines[-1] == "report: r/report.html"


def _refusal(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own refusals
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fake_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ENCORE_CHROMIUM pointing at a program that leaves a mark if anything ever starts it."""
    mark = tmp_path / "chromium-was-started"
    program = tmp_path / "chromium"
    program.write_text(f"#!/bin/sh\ntouch {mark}\nexit 1\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("ENCORE_CHROMIUM", str(program))
    return mark


def test_no_model_endpoint_is_refused_before_any_browser_starts(
    no_model: None, fake_chromium: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refusal(["run-task", "Sign in", "--url", "http://127.0.0.1:9/login", "--cache", str(tmp_path / "c.sqlite"),
                    "--runs", str(tmp_path / "runs")], capsys)
    assert "block task has no cached version yet" in err and "set OPENAI_API_KEY" in err
    assert not fake_chromium.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chromium"]  # no cache, no run folder


def test_a_cached_run_needs_no_model_endpoint(no_model: None, fake_chromium: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    definition = {"id": "signin", "blocks": [{"label": "task", "kind": "task", "goal": "Sign in", "url": "http://127.0.0.1:9/"}]}
    (tmp_path / "wf.json").write_text(json.dumps(definition))
    trace = load_trace(TRACES / "login.json")
    slot = Slot("signin", cache_key(parse_workflow(definition), {}), "task")
    Cache(tmp_path / "c.sqlite").add(slot, trace, compile_trace(trace).source, run_id="r", origin="agent")
    # With its block cached the run needs no model: it goes as far as starting the browser (which this one refuses).
    err = _refusal(["run", str(tmp_path / "wf.json"), "--cache", str(tmp_path / "c.sqlite"), "--runs", str(tmp_path / "r")],
                   capsys)
    assert "Chromium did not start" in err and fake_chromium.exists()


def test_headed_without_a_display_is_refused(fake_chromium: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    err = _refusal(["run-task", "Sign in", "--url", "http://127.0.0.1:9/", "--headed", "--cache", str(tmp_path / "c"),
                    "--runs", str(tmp_path / "runs")], capsys)
    assert "--headed needs a display" in err and not fake_chromium.exists()


def test_a_bad_encore_chromium_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ENCORE_CHROMIUM", str(tmp_path / "no-such-chromium"))
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    err = _refusal(["run-task", "Sign in", "--url", "http://127.0.0.1:9/", "--cache", str(tmp_path / "c"),
                    "--runs", str(tmp_path / "runs")], capsys)
    assert f"ENCORE_CHROMIUM={tmp_path / 'no-such-chromium'}: no such file" in err


def test_a_missing_secret_names_its_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("ENCORE_PARAM_TOKEN", raising=False)
    monkeypatch.delenv("ENCORE_PARAM_PASSWORD", raising=False)
    err = _refusal(["run-task", "goal", "--url", "http://127.0.0.1:9/", "--secret", "token"], capsys)
    assert "set the environment variable ENCORE_PARAM_TOKEN" in err
    workflow = ROOT / "examples" / "workflows" / "login.yaml"
    err = _refusal(["run", str(workflow), "--param", "site=http://127.0.0.1:9", "--param", f"email={EMAIL}",
                    "--cache", str(tmp_path / "c"), "--runs", str(tmp_path / "runs")], capsys)
    assert "ENCORE_PARAM_PASSWORD" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run-task", "goal", "--url", "http://127.0.0.1:9/", "--param", "novalue"], "expected NAME=VALUE"),
        (["run-task", "goal"], "the following arguments are required: --url"),
        (["run-task", "goal", "--url", "u", "--schema", "/nonexistent/schema.json"], "--schema /nonexistent/schema.json: cannot read"),
        (["run", "/nonexistent/wf.yaml"], "wf.yaml: cannot read"),
        (["run-task", "goal", "--url", "u", "--run-with", "sometimes"], "argument --run-with: invalid choice"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["worker", "--store", "postgresql://encore@127.0.0.1:9/x", "--nice", "20"], "--nice 20: expected 0 to 19"),
    ],
    ids=["param-without-value", "no-url", "unreadable-schema", "missing-workflow", "bad-run-with", "unknown-command",
         "worker-nice-out-of-range"],
)
def test_bad_arguments_are_refused_on_one_line(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert message in _refusal(argv, capsys)


def test_code_only_with_nothing_cached_is_refused_before_the_browser(
    fake_chromium: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refusal(["run-task", "goal", "--url", "http://127.0.0.1:9/", "--run-with", "code-only",
                    "--cache", str(tmp_path / "c.sqlite"), "--runs", str(tmp_path / "runs")], capsys)
    assert "only replays cached code" in err and not fake_chromium.exists()


def _cache_with_versions(path: Path) -> Cache:
    cache = Cache(path)
    trace = load_trace(TRACES / "login.json")
    source = compile_trace(trace).source
    for workflow, block, count in (("login", "task", 2), ("orders", "task", 1), ("orders", "read", 1)):
        for n in range(count):
            edited = source if n == 0 else source.replace("Sign in", f"Sign in {n}")
            cache.add(Slot(workflow, "default@x", block), trace, edited, run_id="r", origin="agent")
    return cache


def test_cache_versions_are_named_by_row_id_or_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _cache_with_versions(tmp_path / "c.sqlite")
    where = ["--cache", str(tmp_path / "c.sqlite")]
    assert main(["cache", "diff", "v1", "v2", "--workflow", "login", *where]) == 0
    by_label = capsys.readouterr().out
    assert main(["cache", *where, "diff", "1", "2"]) == 0
    assert capsys.readouterr().out == by_label and '+            page.get_by_role("button", name="Sign in 1")' in by_label
    assert main(["cache", "show", "v1", "--workflow", "orders", "--block", "read", "--trace", *where]) == 0
    shown = capsys.readouterr().out
    assert json.loads(shown)["id"] == "login" and '\n  "id": "login",\n' in shown  # indented, one key a line
    assert main(["cache", "pin", "v2", "--workflow", "login", *where]) == 0
    assert "pinned login [default@x] task v2 (id 2)" in capsys.readouterr().out

    assert "v1 is ambiguous: 2 slots for --workflow orders" in _refusal(
        ["cache", "diff", "v1", "v1", "--workflow", "orders", *where], capsys)
    assert "has no version 7" in _refusal(["cache", "show", "v7", "--workflow", "login", *where], capsys)
    assert "name a version by its row id" in _refusal(["cache", "show", "latest", *where], capsys)
    assert "no cached version with id 99" in _refusal(["cache", "show", "99", *where], capsys)
    assert "no cache file" in _refusal(["cache", "show", "1", "--cache", str(tmp_path / "none.sqlite")], capsys)


def test_cache_ls_has_a_header_and_says_when_there_is_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.sqlite"
    assert main(["cache", "ls", "--cache", str(missing)]) == 0
    assert capsys.readouterr().out == f"no cache at {missing} yet: nothing has run with it\n"
    assert not missing.exists()  # listing never creates a cache
    Cache(tmp_path / "empty.sqlite")
    assert main(["cache", "ls", "--cache", str(tmp_path / "empty.sqlite")]) == 0
    assert capsys.readouterr().out.startswith("no cached versions in ")
    _cache_with_versions(tmp_path / "c.sqlite")
    assert main(["cache", "ls", "--cache", str(tmp_path / "c.sqlite"), "--workflow", "orders"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("ID  SLOT") and len(lines) == 3
    assert main(["cache", "ls", "--json", "--cache", str(tmp_path / "c.sqlite")]) == 0
    assert sorted(row["id"] for row in json.loads(capsys.readouterr().out)) == [1, 2, 3, 4]
    assert main(["cache", "rm", "v1", "--workflow", "orders", "--block", "read", "--cache", str(tmp_path / "c.sqlite")]) == 0
    assert capsys.readouterr().out == "removed 1 version\n"


def test_a_workflow_with_an_unknown_parameter_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workflow = tmp_path / "wf.json"
    workflow.write_text(json.dumps({"id": "x", "blocks": [{"label": "a", "kind": "wait"}]}))
    assert "unknown parameters ['site']" in _refusal(["run", str(workflow), "--param", "site=1"], capsys)


def test_settle_timeout_flag_reaches_the_run(monkeypatch, tmp_path: Path) -> None:
    from encore._commands import _run
    from encore._result import RunResult

    seen: dict = {}

    async def fake_run_workflow(workflow, params, **options):  # what the command hands over is the point
        seen.update(options)
        return RunResult(run_id="r", workflow=workflow.id, cache_key="k", run_with="code", status="succeeded", seconds=0)

    monkeypatch.setattr(_run, "run_workflow", fake_run_workflow)
    definition = tmp_path / "w.yaml"
    definition.write_text("id: w\nsettle_timeout: 4\nblocks:\n  - {label: a, kind: goto, url: 'http://127.0.0.1/'}\n")
    assert main(["run", str(definition), "--settle-timeout", "2.5", "--cache", str(tmp_path / "c.sqlite")]) == 0
    assert seen["settle_timeout"] == 2.5
    assert main(["run", str(definition), "--cache", str(tmp_path / "c.sqlite")]) == 0
    assert seen["settle_timeout"] is None  # the workflow's own value then applies (see test_runner)
