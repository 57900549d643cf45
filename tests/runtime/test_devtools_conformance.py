"""The DevTools conformance suite: each recording replayed by Encore ends as @puppeteer/replay's runner left it.

Every case in tests/fixtures/devtools_conformance/ is a small page that logs what happens to it, a
recording, and `<case>.expected.json`: `puppeteer` is what the real runner (3.1.3, with puppeteer-core on
Chromium) did, recorded by `crosscheck/crosscheck.mjs --write` and re-checked by running it without
`--write`; `encore`, when present, is where Encore deliberately refuses what the runner would do.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser

from codegen import compile_trace
from runtime import DivergenceError, Options, load_params, load_script
from tracer import import_devtools

from ..conftest import ROOT

CASES_DIR = ROOT / "tests" / "fixtures" / "devtools_conformance"
CASES = sorted(p.name.removesuffix(".json") for p in CASES_DIR.glob("*.json") if not p.name.endswith(".expected.json"))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(CASES_DIR)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def substitute(text: str, port: int) -> str:
    """The recordings' two placeholder origins: this server as 127.0.0.1, and as localhost (another site)."""
    return text.replace("http://localhost:8907", f"http://127.0.0.1:{port}").replace(
        "http://localhost:8908", f"http://localhost:{port}"
    )


def normalised(state: Any, port: int) -> Any:
    text = json.dumps(state).replace(f"127.0.0.1:{port}", "localhost:8907").replace(f"localhost:{port}", "localhost:8908")
    return json.loads(text)


async def replay_case(case: str, browser: Browser, port: int, tmp_path: Path) -> tuple[Any, DivergenceError | None]:
    recording = json.loads(substitute((CASES_DIR / f"{case}.json").read_text(encoding="utf-8"), port))
    trace = import_devtools(recording, source=case).trace
    script = tmp_path / f"{case}.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    module = load_script(script)
    context = await browser.new_context()
    try:
        page = await context.new_page()
        error = None
        try:
            await module.run(page, load_params(module, {}), Options())
        except DivergenceError as exc:
            error = exc
        await asyncio.sleep(0.2)  # as the cross-check waits before reading the page
        state = None
        if not page.is_closed():
            state = await page.evaluate("() => window.__conformance ? window.__conformance() : null")
        return normalised(state, port), error
    finally:
        await context.close()


@pytest.mark.parametrize("case", CASES)
async def test_replay_ends_as_puppeteer_replay_does(case: str, browser: Browser, port: int, tmp_path: Path) -> None:
    expected = json.loads((CASES_DIR / f"{case}.expected.json").read_text(encoding="utf-8"))
    state, error = await replay_case(case, browser, port, tmp_path)
    encore = expected.get("encore")
    if encore is None:
        runner = expected["puppeteer"]
        assert (error is None) == runner["completes"], f"{case}: runner completes={runner['completes']}, Encore: {error}"
        assert state == runner["state"]
        return
    # Encore refuses here, on purpose, where the runner would act: the reason and the untouched page.
    assert error is not None, f"{case}: Encore should have diverged ({encore['why']})"
    assert error.divergence.reason == encore["diverges"], error.divergence.message
    assert state == encore["state"]
