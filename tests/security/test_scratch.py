"""Class 7, temporary files: when the whole `encore` process group is killed right after a secret was typed,
nothing holding it is left in the system's temporary folder (Playwright's artifacts, trace chunks and the
browser profile live in the run's own scratch folder), and the next run removes that folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from encore._cli import main as encore_main
from examples.model import ScriptedModel, act

from ..conftest import ROOT
from .scan import Scanner
from .site import Vault

SECRET = "Zq~9*é killed-mid-run"


def test_a_killed_run_leaves_no_secret_in_tmp_and_the_next_run_removes_its_folder(
    model: ScriptedModel, tmp_path: Path
) -> None:
    typed, release = threading.Event(), threading.Event()

    def hold(request: dict[str, Any]) -> dict[str, Any]:  # the password is typed: stop here until killed
        typed.set()
        release.wait(120)
        return {"thought": "", "intention": "Sign in", "action": {"kind": "terminate", "reason": "killed"}}

    model.script(act("Type the user name", "fill", "User", "textbox", parameter="user"),
                 act("Type the password", "fill", "Password", "input", parameter="password"), hold)
    # The system's temporary folder, short as the real one is (Chromium's sockets live there: paths are capped).
    system_tmp = Path(tempfile.mkdtemp(prefix="enc-", dir="/tmp"))
    runs = tmp_path / "runs"
    env = {**os.environ, "OPENAI_BASE_URL": model.url, "OPENAI_API_KEY": "k", "ENCORE_PARAM_PASSWORD": SECRET,
           "TMPDIR": str(system_tmp), "PYTHONPATH": str(ROOT)}
    with Vault(SECRET) as site:
        process = subprocess.Popen(
            [sys.executable, "-m", "encore", "run-task", "Sign in to the vault", "--url", site.url + "/login",
             "--param", "user=ada", "--secret", "password", "--task-id", "v", "--cache", str(tmp_path / "c.sqlite"),
             "--runs", str(runs)],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        try:
            while not typed.wait(0.5):
                assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            assert SECRET in site.received
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(30)
        finally:
            release.set()
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.stderr.close()  # type: ignore[union-attr]

    left = [p for p in (runs / ".tmp").iterdir() if p.is_dir()]
    assert len(left) == 1 and any(left[0].glob("playwright-artifacts-*"))  # the browser's files went there
    assert Scanner(SECRET).tree(left[0])[1]  # and they did hold the secret (trace chunks, headers): the premise
    scanner = Scanner(SECRET)
    try:
        assert scanner.tree(system_tmp)[1] == []  # and nothing that holds the secret went to the system's folder
    finally:
        shutil.rmtree(system_tmp, ignore_errors=True)

    workflow = tmp_path / "wait.yaml"
    workflow.write_text("id: wait\nblocks:\n  - {label: pause, kind: wait, seconds: 0}\n")
    assert encore_main(["run", str(workflow), "--cache", str(tmp_path / "c.sqlite"), "--runs", str(runs), "--no-trace"]) == 0
    assert not left[0].exists() and list((runs / ".tmp").iterdir()) == []
