"""`encore replay TRACE.json --enrich OUT.json`: an imported recording replayed once and saved verified."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from encore._trace_replay import replay_trace
from tracer import import_devtools, load_trace, write_trace

from ..conftest import ROOT


def _recording(url: str) -> dict:
    return {"title": "sign up", "steps": [
        {"type": "navigate", "url": f"{url}/login"},
        {"type": "change", "selectors": [["aria/E-mail"], ["#email"]], "value": "ada@example.com"},
        {"type": "change", "selectors": [["aria/Password"], ["#password"]], "value": "never-stored"},
        {"type": "click", "selectors": [["aria/Sign in[role=\"button\"]"], ["#login-button"]], "offsetX": 4, "offsetY": 4,
         "assertedEvents": [{"type": "navigation", "url": f"{url}/dashboard"}]},
    ]}


def test_replay_enriches_an_imported_login_and_keeps_the_password_out(serve, tmp_path: Path) -> None:
    from examples.site.server import PASSWORD

    site = serve()
    result = import_devtools(_recording(site.url))
    assert "password" in [p.name for p in result.trace.parameters]  # aria/Password: lifted on import
    trace_file, out = tmp_path / "login.json", tmp_path / "login.enriched.json"
    write_trace(result.trace, trace_file)
    run = subprocess.run([sys.executable, "-m", "encore", "replay", str(trace_file), "--enrich", str(out),
                          "--artifacts", str(tmp_path / "artifacts")],
                         capture_output=True, text=True, cwd=ROOT, check=False, env={**os.environ, "ENCORE_PARAM_PASSWORD": PASSWORD})
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"enriched trace: {out}" in run.stdout
    enriched = load_trace(out)
    click = enriched.steps()[3]
    assert click.action.element.fingerprint.name == "Sign in"
    assert [p.kind for p in click.postconditions] == ["url"]
    assert PASSWORD not in out.read_text() and PASSWORD not in run.stdout + run.stderr


async def test_replay_that_diverges_writes_nothing(serve, tmp_path: Path) -> None:
    site = serve("removed_element")
    data = _recording(site.url)
    data["steps"][3]["timeout"] = 500
    out = tmp_path / "out.json"
    trace = import_devtools(data, detect_passwords=False).trace
    outcome = await replay_trace(trace, {}, enrich_to=out)
    assert not outcome.ok and outcome.divergence is not None
    assert outcome.divergence.divergence.step_id == "r4" and outcome.divergence.divergence.reason == "element_missing"
    assert [s.step_id for s in outcome.steps] == ["r1", "r2", "r3"]
    assert outcome.enriched is None and not out.exists()
