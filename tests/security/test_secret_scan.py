"""Class 2, secrets in artefacts: after an agent run and a failed replay on a leaky page (and, on the example
shop, a replay, two heals and a failure), no spelling of the secret is in any file, zip entry, SQLite row or
WAL, screenshot, report, result, printed output, log or model request. Secrets with `~ * & < > " ' \\ é +` and spaces, a 4-character one, and a 1-character one
(too short to find in text: the run finishes, warns, and what it never captures is still clean)."""

from __future__ import annotations

import json
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from agent import AgentConfig
from encore import run_task
from encore._cli import main as encore_main
from examples.model import ScriptedModel, act, locate_answer, login_answers
from examples.site.server import PASSWORD
from runtime import Options

from ..runtime.helpers import EMAIL
from .scan import Scanner
from .site import Vault

LONG = "Zq~9*é &<>\"'\\+ x"
FOUR = "é&~*"
ONE = "§"


def _record_answers(shown: bool) -> list:
    role = "textbox" if shown else "input"
    return [
        act("Type the user name", "fill", "User", "textbox", parameter="user"),
        act("Type the password", "fill", "Password", role, parameter="password"),
        act("Sign in", "click", "Sign in", "button"),
        act("Signed in", "complete", summary="signed in"),
    ]


def _encore(argv: list[str], capsys: pytest.CaptureFixture[str], printed: list[str]) -> tuple[int, dict]:
    code = encore_main(argv)
    out, err = capsys.readouterr()
    printed += [out, err]
    return code, json.loads(out)


@pytest.mark.parametrize(
    ("secret", "method", "echo", "diverge"),
    [(LONG, "get", True, True), (FOUR, "post", True, False), (ONE, "post", False, False)],
    ids=["long-get-echoed", "four-post-echoed", "one-char"],
)
def test_no_spelling_of_the_secret_in_any_artefact(
    secret: str, method: str, echo: bool, diverge: bool, model: ScriptedModel, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name, value in {"OPENAI_BASE_URL": model.url, "OPENAI_API_KEY": "k", "ENCORE_VISION": "1",
                        "ENCORE_PARAM_PASSWORD": secret}.items():
        monkeypatch.setenv(name, value)
    printed: list[str] = []
    with Vault(secret, method=method, echo=echo, shown=True) as site, \
            Vault(secret, method=method, echo=echo, shown=True, button="Help") as redesigned:
        argv = ["run-task", "Sign in to the vault", "--url", site.url + "/login", "--param", "user=ada",
                "--secret", "password", "--task-id", "vault", "--cache", str(tmp_path / "cache.sqlite"),
                "--runs", str(tmp_path / "runs"), "--json"]
        model.script(*_record_answers(shown=True))
        code, first = _encore(argv, capsys, printed)
        assert (code, first["status"]) == (0, "succeeded"), first
        assert secret in site.received  # the page really got it: what follows is about artefacts only

        if diverge:  # (the other cases keep the suite short; divergences with them: test_divergence_secrets)
            # The redesigned page lost its button: the replay diverges, the model finds nothing, the agent gives up.
            model.script(lambda r: {"element": None, "confidence": 0.0, "reason": "no such button"},
                         act("The sign-in button is gone", "terminate", reason="no sign-in button"))
            code, second = _encore([*argv, "--base-url", redesigned.url], capsys, printed)
            assert (code, second["status"]) == (1, "failed"), second
            divergence = second["blocks"][0]["divergence"]
            assert divergence["step_id"] and Path(divergence["screenshot"]).is_file()
            assert "mirror" in divergence["dom_excerpt"]  # the excerpt shows the field the page copied the secret into
    weak = [w for w in first["warnings"] if "too short or too common" in w]
    assert bool(weak) == (secret == ONE)

    scanner = Scanner(secret)
    scanned, findings = scanner.tree(tmp_path)
    findings += scanner.where("\n".join(printed))
    findings += scanner.where("\n".join(record.getMessage() for record in caplog.records))
    findings += scanner.where(json.dumps(model.requests, ensure_ascii=False))
    assert not findings, findings
    names = {p.name for p in tmp_path.rglob("*")}
    assert {"trace.zip", "report.html", "result.json", "cache.sqlite"} <= names and scanned >= (7 if diverge else 4)
    for archive in tmp_path.rglob("trace.zip"):  # by design: recorded without request bodies or credentials
        with zipfile.ZipFile(archive) as opened:
            network = opened.read("trace.network").decode()
        assert '"postData"' not in network and "Basic " not in network
    assert any(isinstance(m.get("content"), list) for r in model.requests for m in r["messages"])  # screenshots sent
    assert not (tmp_path / "runs" / ".tmp").exists() or not any((tmp_path / "runs" / ".tmp").iterdir())


async def test_no_secret_anywhere_after_record_replay_heal_and_failure(
    serve, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path,
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    scanner = Scanner(PASSWORD)
    original = serve()
    sites = [
        (original, login_answers()),                                       # the agent records
        (original, []),                                                    # replay from code
        (serve("redesigned_login"), [locate_answer("Continue", "button")]),  # element-level heal
        (serve("terms_interstitial"), [locate_answer("Sign in", "button"),  # the original button is back
                                       act("Accept the terms", "click", "Accept and continue", "link"),
                                       act("Logged in", "complete")]),   # then a block-level heal
        (serve("removed_element"), [lambda r: {"element": None, "confidence": 0.0},
                                    act("Cannot sign in", "terminate", reason="no button")]),  # fails
    ]
    statuses = []
    for site, answers in sites:
        model.script(*answers)
        context = await browser.new_context()
        try:
            result = await run_task(
                "Sign in to the shop", original.url + "/login", {"email": EMAIL}, secrets={"password": PASSWORD},
                task_id="login", page=await context.new_page(), config=config, cache=tmp_path / "cache.sqlite",
                runs_dir=tmp_path / "runs", options=Options(base_url=site.url),
            )
        finally:
            await context.close()
        statuses.append(result.status)
        assert not scanner.where(result.model_dump_json())
    assert statuses == ["succeeded", "succeeded", "healed", "healed", "failed"]

    scanned, findings = scanner.tree(tmp_path)
    assert scanned > 10 and any(tmp_path.rglob("trace.zip")) and any(tmp_path.rglob("cache.sqlite*"))
    output = capsys.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for text in (output.out, output.err, logged, json.dumps(model.requests, ensure_ascii=False)):
        findings += scanner.where(text)
    assert not findings, findings


@pytest.mark.parametrize("secret", ["0", "true", "code"])
async def test_a_short_or_common_secret_finishes_the_run_with_a_warning(page: Any, tmp_path: Path, secret: str) -> None:
    from encore import run_workflow

    workflow = {"id": "w", "parameters": [{"name": "pin", "secret": True}],
                "blocks": [{"label": "pause", "kind": "wait", "seconds": 0}]}
    result = await run_workflow(workflow, {"pin": secret}, page=page, cache=tmp_path / "c.sqlite",
                                runs_dir=tmp_path / "runs", playwright_trace=False)
    assert result.status == "succeeded" and result.run_with == "code" and result.blocks[0].mode == "live"
    assert any("'pin' is too short or too common" in warning for warning in result.warnings)
    saved = json.loads((Path(result.report or "").parent / "result.json").read_text(encoding="utf-8"))
    assert saved["status"] == "succeeded" and saved["warnings"] == result.warnings
    assert "too short or too common" in Path(result.report or "").read_text(encoding="utf-8")
