"""The recorder under Playwright's sync API: the same methods as the async one, the same trace."""

from __future__ import annotations

import inspect
from pathlib import Path

from playwright.sync_api import sync_playwright

from codegen import compile_trace
from examples.site.server import PASSWORD
from runtime import CHROMIUM_ARGS, system_chromium
from tracer import Recorder as AsyncRecorder
from tracer import canonical_json
from tracer.sync_api import Recorder, param, secret

from ..threads import in_a_thread


def test_the_sync_recorder_has_every_public_member_of_the_async_one() -> None:
    def public(cls: type) -> dict[str, list[str]]:
        return {
            name: list(inspect.signature(member).parameters) if callable(member) else []
            for name, member in vars(cls).items()
            if not name.startswith("_")
        }

    known = {"page"}  # an instance attribute of the async recorder, a property here (it maps the tab back)
    assert {k: v for k, v in public(Recorder).items() if k not in known} == public(AsyncRecorder)


def test_sync_playwright_pages_record_the_same_trace(serve, tmp_path: Path) -> None:
    site = serve()

    def work() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=system_chromium(), args=CHROMIUM_ARGS)
            try:
                page = browser.new_context().new_page()
                rec = Recorder(page, trace_id="login", params={"email": "ada@example.com"},
                               secrets={"password": PASSWORD})
                rec.goto(site.url + "/login", "Open the login page")
                rec.fill(page.get_by_label("E-mail"), param("email"), "Type the e-mail")
                rec.fill(page.get_by_label("Password"), secret("password"), "Type the password")
                rec.click(page.get_by_role("button", name="Sign in"), "Sign in")
                assert rec.page is page and page.url.endswith("/dashboard")
                rec.assert_text(page.get_by_role("heading", level=1), "Welcome back", "Greeted")
                trace = rec.save(tmp_path / "login.json")
            finally:
                browser.close()
        assert [s.action.kind for s in trace.blocks[0].steps] == ["goto", "fill", "fill", "click", "assert"]
        assert trace.blocks[0].steps[3].postconditions[0].kind == "url"
        assert PASSWORD not in canonical_json(trace) and "params.email" in compile_trace(trace).source

    in_a_thread(work)
