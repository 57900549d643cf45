"""`encore`: run-task and run as a cron job would (exit codes, --json), and the cache commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from examples.model import ScriptedModel
from examples.site.server import PASSWORD

from ..agent.scripted import login_script
from ..conftest import ROOT
from ..runtime.helpers import EMAIL


def encore(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "encore", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        cwd=cwd or ROOT,
        timeout=120,
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
    first = encore(*command, env=env)
    assert first.returncode == 0, first.stderr + first.stdout
    assert first.stdout.startswith("succeeded: login")
    assert " agent " in first.stdout and "4 LLM calls" in first.stdout

    second = encore(*command, "--json", "--no-trace", env={**env, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": ""})
    assert second.returncode == 0, second.stderr
    result = json.loads(second.stdout)
    assert (result["status"], result["llm_calls"], result["blocks"][0]["mode"]) == ("succeeded", 0, "code")
    for output in (first.stdout, first.stderr, second.stdout, second.stderr):
        assert PASSWORD not in output
    for file in (tmp_path / "runs").rglob("*"):
        if file.is_file() and file.suffix in (".html", ".json"):
            assert PASSWORD not in file.read_text(encoding="utf-8"), file

    cache = ["cache", "--cache", str(tmp_path / "c.sqlite")]
    listing = encore(*cache, "ls")
    assert listing.returncode == 0 and "login [default@" in listing.stdout and " v1  agent" in listing.stdout
    shown = encore(*cache, "show", "1")
    assert shown.returncode == 0 and "async def task(steps: Steps" in shown.stdout and PASSWORD not in shown.stdout
    assert json.loads(encore(*cache, "show", "1", "--trace").stdout)["id"] == "login.task"
    assert encore(*cache, "diff", "1", "1").stdout == ""
    assert "pinned login" in encore(*cache, "pin", "1").stdout
    assert json.loads(encore(*cache, "ls", "--json").stdout)[0]["pinned"] is True
    assert "removed 1 version" in encore(*cache, "rm", "1").stdout


def test_bad_input_exits_2_with_a_message(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.yaml"
    workflow.write_text("id: x\nblocks: [{label: a, kind: teleport}]\n")
    cases = [
        (["run", str(workflow)], "wf.yaml: invalid workflow: at blocks.0: Input tag 'teleport'"),
        (["run", str(tmp_path / "missing.yaml")], "missing.yaml: cannot read"),
        (["run-task", "goal", "--url", "http://127.0.0.1:9/", "--secret", "token"], "set the environment variable ENCORE_PARAM_TOKEN"),
        (["run-task", "goal", "--url", "http://127.0.0.1:9/", "--param", "novalue"], "expected NAME=VALUE"),
        (["cache", "--cache", str(tmp_path / "none.sqlite"), "show", "3"], "no cache file"),
        (["run-task", "goal"], "the following arguments are required: --url"),
    ]
    for args, message in cases:
        result = encore(*args, env={"ENCORE_PARAM_TOKEN": ""} if "token" in args else None)
        if "token" in args:
            result = encore(*args, env={k: v for k, v in os.environ.items() if k != "ENCORE_PARAM_TOKEN"})
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)
    listing = encore("cache", "--cache", str(tmp_path / "none.sqlite"), "ls")
    assert listing.returncode == 0 and listing.stdout == ""
    assert not (tmp_path / "none.sqlite").exists()  # neither refusals nor listing create a cache


def test_a_workflow_with_an_unknown_parameter_is_refused(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.json"
    workflow.write_text(json.dumps({"id": "x", "blocks": [{"label": "a", "kind": "wait"}]}))
    result = encore("run", str(workflow), "--param", "site=1")
    assert result.returncode == 2 and "unknown parameters ['site']" in result.stderr


def test_settle_timeout_flag_reaches_the_run(monkeypatch, tmp_path: Path) -> None:
    from encore import _cli
    from encore._result import RunResult

    seen: dict = {}

    async def fake_run_workflow(workflow, params, **options):  # what the command hands over is the point
        seen.update(options)
        return RunResult(run_id="r", workflow=workflow.id, cache_key="k", run_with="code", status="succeeded", seconds=0)

    monkeypatch.setattr(_cli, "run_workflow", fake_run_workflow)
    definition = tmp_path / "w.yaml"
    definition.write_text("id: w\nsettle_timeout: 4\nblocks:\n  - {label: a, kind: goto, url: 'http://127.0.0.1/'}\n")
    assert _cli.main(["run", str(definition), "--settle-timeout", "2.5", "--cache", str(tmp_path / "c.sqlite")]) == 0
    assert seen["settle_timeout"] == 2.5
    assert _cli.main(["run", str(definition), "--cache", str(tmp_path / "c.sqlite")]) == 0
    assert seen["settle_timeout"] is None  # the workflow's own value then applies (see test_runner)
