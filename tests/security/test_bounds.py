"""Class 7, bounded cost and clean errors: templates that divide by zero, loop or write to outputs; requests
to the model past a size bound; a cache that is corrupted, deleted or full mid-run; escape sequences for the
terminal; a trace title that cannot be encoded. Malformed files are in tests/test_malformed_input.py."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page

from agent import Agent, AgentConfig, Task
from encore import Cache, Slot, run_task, run_workflow
from encore._cli import main as encore_main
from examples.model import ScriptedModel, login_answers
from examples.site.server import PASSWORD
from tracer import load_trace

from ..conftest import ROOT, TRACES
from ..runtime.helpers import EMAIL


@pytest.mark.parametrize(
    ("goal", "problem"),
    [
        ("{{ 1/0 }}", "ZeroDivisionError: division by zero"),
        ("{{ range(100001)|list|length }}", "range() of 100001 items"),
        ("{{ outputs.update({'total': 0}) }}", "attribute 'update' of 'dict' object is unsafe"),
        ("{{ 'x' * 10**9 }}", "grows it past"),
        ("{{ '{:>999999999}'.format(1) }}", "attribute 'format' of 'str' object is unsafe"),
    ],
)
async def test_a_template_that_fails_fails_its_block_and_the_run_reports(
    page: Page, tmp_path: Path, config: AgentConfig, goal: str, problem: str
) -> None:
    workflow = {"id": "t", "blocks": [{"label": "work", "kind": "task", "goal": goal}]}
    # A model is configured (the run needs one to record), but the template fails before it is asked.
    result = await run_workflow(workflow, page=page, cache=tmp_path / "c.sqlite", runs_dir=tmp_path / "runs",
                                playwright_trace=False, config=config)
    assert result.status == "failed" and problem in result.blocks[0].message
    assert "work: goal" in result.blocks[0].message and result.outputs == {}
    assert Path(result.report or "").is_file() and (Path(result.report or "").parent / "result.json").is_file()


async def test_a_request_past_the_size_bound_is_never_sent(page: Page, model: ScriptedModel) -> None:
    config = AgentConfig(model="gpt-4o-mini", api_key="k", base_url=model.url, vision=False, max_request_chars=50_000)
    await page.set_content("<p>hello</p>")
    outcome = await Agent(page, Task(goal="lol " * 20_000), config=config).run(5)
    assert outcome.status == "failed" and "more than the limit of 50000" in outcome.message
    assert model.requests == []


def _corrupt(cache: Path) -> None:
    with cache.open("r+b") as handle:  # keep the 100-byte header: the pages after it are garbage
        handle.seek(100)
        handle.write(b"\xa5" * max(0, cache.stat().st_size - 100))


def _delete(cache: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)


def _fill_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    real = sqlite3.connect

    class Full:
        """A connection (or its cursors) on a full disk: every INSERT fails as SQLite's would."""

        def __init__(self, db: Any) -> None:
            self.db = db

        def execute(self, sql: str, *args: Any) -> Any:
            if sql.lstrip().upper().startswith("INSERT"):
                raise sqlite3.OperationalError("database or disk is full")
            return self.db.execute(sql, *args)

        def cursor(self, *args: Any) -> Any:  # the store (SQLAlchemy) writes through cursors
            return Full(self.db.cursor(*args))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.db, name)

        def __setattr__(self, name: str, value: Any) -> None:
            if name == "db":
                object.__setattr__(self, name, value)
            else:
                setattr(self.db, name, value)

    def fill(cache: Path) -> None:
        # The store's SQLAlchemy connects through sqlite3.dbapi2: both names lead to the full disk.
        for module in (sqlite3, sqlite3.dbapi2):
            monkeypatch.setattr(module, "connect", lambda *a, **k: Full(real(*a, **k)))

    return fill


@pytest.mark.parametrize("failure", ["corrupt page", "deleted", "disk full"])
async def test_a_cache_failing_mid_run_costs_neither_the_report_nor_the_recording(
    serve, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, failure: str,
) -> None:
    cache = tmp_path / "cache.sqlite"
    sabotage = {"corrupt page": _corrupt, "deleted": _delete, "disk full": _fill_disk(monkeypatch)}[failure]
    answers = login_answers()
    last = answers[-1]
    answers[-1] = lambda request: (sabotage(cache), last(request))[1]  # just before the agent completes
    model.script(*answers)
    site = serve()
    context = await browser.new_context()
    try:
        result = await run_task(
            "Sign in to the shop", site.url + "/login", {"email": EMAIL}, secrets={"password": PASSWORD},
            task_id="login", page=await context.new_page(), config=config, cache=cache, runs_dir=tmp_path / "runs",
            playwright_trace=False,
        )
    finally:
        await context.close()
    block = result.blocks[0]
    assert result.status == "succeeded" and block.new_version is None
    assert "could not cache the new version" in block.message and "saved in" in block.message
    recovered = Path(block.message.rsplit("saved in ", 1)[1])
    assert load_trace(recovered).steps()[0].action.kind == "goto"
    assert any(str(recovered) in warning for warning in result.warnings)
    assert Path(result.report or "").is_file()


def test_unsafe_parameter_names_are_refused_where_they_are_declared() -> None:
    from encore import WorkflowError, parse_workflow
    from tracer import TraceError, trace_from_data

    trace = json.loads((TRACES / "login.json").read_text(encoding="utf-8"))
    for name in ("_x", "model_config", "model_dump", "copy", "schema", "str", "Field"):
        with pytest.raises(WorkflowError, match="parameter name"):
            parse_workflow({"id": "w", "parameters": [{"name": name}], "blocks": [{"label": "t", "kind": "task", "goal": "g"}]})
        trace["parameters"][0]["name"] = name
        with pytest.raises(TraceError, match=f"parameter name '{name}'"):
            trace_from_data(trace, "t.json")


def test_escape_sequences_reach_the_terminal_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workflow = tmp_path / "w.yaml"
    workflow.write_text('id: w\nblocks:\n  - label: c\n    kind: code\n    code: "raise ValueError(\\"\\\\x1b]0;owned\\\\x07\\\\x1b[2J\\\\x9b31m\\")"\n')
    code = encore_main(["run", str(workflow), "--cache", str(tmp_path / "c.sqlite"), "--runs", str(tmp_path / "runs"),
                        "--no-trace"])
    out, _ = capsys.readouterr()
    assert code == 1 and "ValueError" in out
    assert "\x1b" not in out and "\x9b" not in out and "\\x1b]0;owned" in out

    cache = Cache(tmp_path / "c.sqlite")
    trace = load_trace(TRACES / "login.json")
    cache.add(Slot("w", "\x1b[2Jkey\x9b", "b\u202eevil"), trace, "x = 1\n", run_id="r", origin="agent")
    assert encore_main(["cache", "--cache", str(tmp_path / "c.sqlite"), "ls"]) == 0
    listed, _ = capsys.readouterr()
    assert "\x1b" not in listed and "\u202e" not in listed and "\\x1b[2Jkey" in listed


def test_tracer_show_prints_a_title_python_cannot_encode(tmp_path: Path) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text((TRACES / "login.json").read_text(encoding="utf-8").replace(
        '"title": "Log in to the example shop"', '"title": "bad \\ud800 title \\u001b[2J"'), encoding="utf-8")
    shown = subprocess.run([sys.executable, "-m", "tracer", "show", str(path)], capture_output=True, text=True, cwd=ROOT, check=False,
                           env={"PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"})
    assert shown.returncode == 0, shown.stderr
    assert "bad \\ud800 title \\x1b[2J" in shown.stdout.splitlines()[0]
    compiled = subprocess.run([sys.executable, "-m", "codegen", str(path)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert compiled.returncode == 0
