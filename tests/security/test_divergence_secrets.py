"""Class 2, divergences: a page that echoes what is typed must not get a secret into a divergence report,
whatever the secret holds (quotes, backslashes, `& < >` that the page HTML-escapes, accents)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page
from pydantic import BaseModel, SecretStr

from runtime import DivergenceError, Options, Steps

from .scan import Scanner
from .test_secret_scan import FOUR, LONG

SECRET = "s3cr3t-\"value\"-\\-x"
ECHO_PAGE = """
<label>Password <input id="pw" type="password"
  oninput="document.getElementById('echo').textContent = 'you typed ' + this.value;
           document.getElementById('copy').setAttribute('value', this.value)"></label>
<p id="echo" title="echo"></p><input id="copy">
"""


class Params(BaseModel):
    password: SecretStr


@pytest.mark.parametrize("secret", [SECRET, LONG, FOUR], ids=["quotes", "long", "four"])
async def test_secret_echoed_by_the_page_is_redacted_everywhere(page: Page, tmp_path: Path, secret: str) -> None:
    await page.set_content(ECHO_PAGE)
    recorded = {"f1": {"intention": "type the password"}, "f2": {"intention": "check the echo"}}
    steps = Steps(page, Params(password=SecretStr(secret)), recorded, start_url="about:blank",
                  options=Options(artifacts_dir=tmp_path, locate_timeout=0.3, postcondition_timeout=0.3))
    await steps.fill("f1", [page.get_by_label("Password")], steps.params.password)  # type: ignore[attr-defined]
    assert secret in await page.locator("#echo").inner_text()  # the page really echoed it
    with pytest.raises(DivergenceError) as info:
        await steps.expect_text("f2", [page.locator("#echo")], "something else")
    report = info.value.to_json()
    assert 'id=\\"copy\\"' in report  # the excerpt shows the field the page copied the secret into
    scanner = Scanner(secret)
    assert not scanner.where(report) and not scanner.where(str(info.value)) and not scanner.where(repr(steps.results))
    assert "***" in info.value.divergence.message


async def test_wrong_secret_in_field_is_reported_without_values(page: Page, tmp_path: Path) -> None:
    await page.set_content('<input id="pw" type="password" maxlength="3">')
    steps = Steps(page, Params(password=SecretStr(SECRET)), {}, start_url="about:blank",
                  options=Options(locate_timeout=0.3))
    with pytest.raises(DivergenceError) as info:
        await steps.fill("f1", [page.locator("#pw")], steps.params.password)  # type: ignore[attr-defined]
    assert info.value.divergence.reason == "postcondition_failed"
    assert "s3c" not in info.value.to_json()  # not even the part the field kept
    assert SECRET not in info.value.to_json()
