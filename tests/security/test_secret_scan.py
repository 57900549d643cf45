"""Secret scan: after runs that type a secret, through a replay, two heals and a failed divergence, the
secret's value is in no trace, script, log, report, result, Playwright trace, cache row or model request."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest
from playwright.async_api import Browser

from agent import AgentConfig
from examples.model import ScriptedModel, act, locate_answer, login_answers
from examples.site.server import PASSWORD
from runtime import Options
from encore import run_task
from encore._scrub import spellings

from ..runtime.helpers import EMAIL


async def test_no_secret_anywhere_after_record_replay_heal_and_failure(
    serve, browser: Browser, model: ScriptedModel, config: AgentConfig, tmp_path: Path,
    caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
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
        assert not any(form.decode() in result.model_dump_json() for form in spellings(PASSWORD))
    assert statuses == ["succeeded", "succeeded", "healed", "healed", "failed"]

    forms = spellings(PASSWORD)
    scanned = 0
    for file in tmp_path.rglob("*"):
        if not file.is_file():
            continue
        blobs = [file.read_bytes()]
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                blobs += [archive.read(name) for name in archive.namelist()]
        for blob in blobs:
            scanned += 1
            assert not any(form in blob for form in forms), f"the secret is in {file}"
    assert scanned > 10 and any(tmp_path.rglob("trace.zip")) and any(tmp_path.rglob("cache.sqlite*"))
    output = capsys.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for text in (output.out, output.err, logged, str(model.requests)):
        assert not any(form.decode() in text for form in forms)
