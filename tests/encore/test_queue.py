"""Workers on procrastinate and a real PostgreSQL: submitted and scheduled runs complete, a canceled run never
starts, secrets stay out of the queue and the run rows, and the run of a SIGKILLed worker is retried."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import update

from codegen import compile_trace
from encore import Cache, Slot
from encore._cli import main
from encore._params import cache_key
from encore._queue import plain_params
from encore._store import Store
from encore._store._schema import schedules
from encore._workflow import load_workflow
from examples.model import ScriptedModel
from examples.site.server import PASSWORD
from examples.workflows.answers import FIRST_RUN_ANSWERS
from tracer import load_trace

from ..conftest import ROOT, TRACES

LOGIN = ROOT / "examples" / "workflows" / "login.yaml"


def _worker(store: str, tmp_path: Path, name: str, env: dict[str, str]) -> subprocess.Popen[str]:
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - the worker writes it until it stops
    return subprocess.Popen(
        [sys.executable, "-m", "encore", "worker", "--store", store, "--concurrency", "2", "--name", name,
         "--runs", str(tmp_path / "runs"), "--stalled-after", "3"],
        stdout=log, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )


def _stop(worker: subprocess.Popen[str]) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)  # procrastinate's graceful stop
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()


def encore(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The command in this process (a subprocess would import Encore again for each call)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _until(what, timeout_s: float = 150):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out waiting")


def test_code_only_is_refused_when_nothing_is_cached_and_kept_by_the_schedule(tmp_path: Path, capsys) -> None:
    # As `encore run --run-with code-only`: replay only, so a run with nothing to replay is refused before
    # anything is written; spelled as `encore run` spells it.
    path, site = str(tmp_path / "store.sqlite"), "http://127.0.0.1:9"
    for command in (["submit", str(LOGIN)], ["schedule", "add", "0 6 * * *", str(LOGIN)]):
        code, out, err = encore(capsys, *command, "--param", f"site={site}", "--run-with", "code-only", "--store", path)
        assert (code, out) == (2, "") and "nothing cached for shop-login" in err and "only replays cached code" in err
        with pytest.raises(SystemExit) as refused:
            encore(capsys, *command, "--param", f"site={site}", "--run-with", "code_only", "--store", path)
        assert refused.value.code == 2 and "invalid choice: 'code_only'" in capsys.readouterr().err
    store = Store(path)
    assert store.runs.list() == [] and store.schedules.list() == []
    # Once the block is cached for these parameters, the schedule is taken, and each run it fires is code_only.
    workflow = load_workflow(LOGIN)
    trace = load_trace(TRACES / "login.json")
    slot = Slot(workflow.id, cache_key(workflow, plain_params(workflow, {"site": site})), "login", "")
    Cache(store).add(slot, trace, compile_trace(trace).source, run_id="r0", origin="agent")
    code, out, err = encore(capsys, "schedule", "add", "0 6 * * *", str(LOGIN), "--param", f"site={site}",
                            "--run-with", "code-only", "--store", path)
    assert code == 0 and out.startswith("schedule 1:"), err
    (schedule,) = store.schedules.list()
    fired = store.schedules.fire(schedule.id, "r1", now=schedule.next_fire_at)
    assert schedule.run_with == "code_only" and fired is not None and fired.run_with == "code_only"
    # Another site's parameters have nothing cached: refused again.
    code, _, err = encore(capsys, "submit", str(LOGIN), "--param", "site=http://127.0.0.1:8", "--run-with", "code-only",
                          "--store", path)
    assert code == 2 and "only replays cached code" in err


def test_submitted_and_scheduled_runs_complete_and_secrets_stay_out(
    serve, model: ScriptedModel, postgres_url: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    site = serve()
    model.script(*FIRST_RUN_ANSWERS["login.yaml"])  # one recording: the other run must replay it
    monkeypatch.setenv("ENCORE_STORE", postgres_url)

    code, _, err = encore(capsys, "submit", str(LOGIN), "--param", f"site={site.url}", "--param", f"password={PASSWORD}")
    assert code == 2 and "never queued" in err and PASSWORD not in err
    code, _, err = encore(capsys, "submit", str(LOGIN), "--param", f"site={site.url}", "--run-with", "code-only")
    assert code == 2 and "only replays cached code" in err  # nothing cached yet: refused, nothing queued
    code, out, err = encore(capsys, "submit", str(LOGIN), "--params", json.dumps({"site": site.url}))
    assert code == 0, err
    run_id = out.strip()
    doomed = encore(capsys, "submit", str(LOGIN), "--param", f"site={site.url}")[1].strip()
    assert encore(capsys, "runs", "cancel", doomed)[1].strip() == f"{doomed}: canceled"
    code, out, err = encore(capsys, "schedule", "add", "*/5 * * * *", str(LOGIN), "--param", f"site={site.url}")
    assert code == 0 and out.startswith("schedule 1:"), err
    store = Store(postgres_url)
    with store.engine.begin() as connection:  # its tick is due now
        connection.execute(update(schedules).values(next_fire_at=time.time() - 1))
    with psycopg.connect(postgres_url) as connection:
        queued = [row[0] for row in connection.execute("SELECT args FROM procrastinate_jobs")]
    assert {"run_id": run_id} in queued and all(set(args) == {"run_id"} for args in queued)

    worker = _worker(postgres_url, tmp_path, "w1", {
        "ENCORE_PARAM_PASSWORD": PASSWORD, "OPENAI_BASE_URL": model.url, "OPENAI_API_KEY": "k",
    })
    try:
        shown = encore(capsys, "runs", "show", run_id, "--wait", "150")[1]
        scheduled = _until(lambda: [r for r in store.runs.list(schedule_id=1) if r.final])
        # Cached now: a code-only run is queued, and the worker replays it without the model.
        code, out, err = encore(capsys, "submit", str(LOGIN), "--param", f"site={site.url}", "--run-with", "code-only")
        assert code == 0, err
        replayed = json.loads(encore(capsys, "runs", "show", out.strip(), "--wait", "150")[1])
    finally:
        _stop(worker)
    log = (tmp_path / "w1.log").read_text()
    record = json.loads(shown)
    assert record["status"] == "completed", log[-3000:]
    assert scheduled[0].status == "completed", scheduled[0].reason
    modes = sorted(r["blocks"][0]["mode"] for r in (record, scheduled[0].as_dict()))
    assert modes == ["agent", "code"] and len(model.requests) == len(FIRST_RUN_ANSWERS["login.yaml"])
    assert (replayed["status"], replayed["run_with"], replayed["blocks"][0]["mode"]) == ("completed", "code_only", "code")
    assert record["worker"] == "w1" and record["attempts"] == 1 and record["artefacts"]["report"]
    assert store.runs.get(doomed).status == "canceled" and store.runs.get(doomed).attempts == 0
    listing = encore(capsys, "runs", "ls")[1]
    assert run_id in listing and doomed in listing and "canceled" in listing
    rows = json.dumps([r.as_dict(definition=True) for r in store.runs.list()])
    assert PASSWORD not in rows and PASSWORD not in log


def test_the_run_of_a_killed_worker_is_retried_to_completion(serve, postgres_url: str, tmp_path: Path, capsys) -> None:
    site = serve()
    workflow = tmp_path / "slow.yaml"
    workflow.write_text(
        "id: slow\nparameters: [{name: site}]\nblocks:\n"
        "  - {label: open, kind: goto, url: '{{ site }}/login'}\n"
        "  - {label: pause, kind: wait, seconds: 6}\n"
        "  - {label: orders, kind: goto, url: '{{ site }}/orders'}\n"
    )
    run_id = encore(capsys, "submit", str(workflow), "--param", f"site={site.url}", "--store", postgres_url)[1].strip()
    store = Store(postgres_url)
    doomed = _worker(postgres_url, tmp_path, "doomed", {})
    try:
        _until(lambda: store.runs.get(run_id).status == "running")
        os.kill(doomed.pid, signal.SIGKILL)
        doomed.wait(10)
    finally:
        doomed.kill()
    survivor = _worker(postgres_url, tmp_path, "survivor", {})
    try:
        record = _until(lambda: (r := store.runs.get(run_id)).final and r)
    finally:
        _stop(survivor)
    assert record.status == "completed", (tmp_path / "survivor.log").read_text()[-3000:]
    assert (record.attempts, record.worker) == (2, "survivor")
    assert [b["label"] for b in record.blocks] == ["open", "pause", "orders"]
