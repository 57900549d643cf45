"""DevTools Recorder / @puppeteer/replay recordings: import, compile, replay."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.async_api import Page

from codegen import compile_trace
from runtime import Options, load_params, load_script
from tracer import ImportError_, Trace, import_devtools

from ..conftest import ROOT

RECORDINGS = ROOT / "tests" / "fixtures" / "recordings"
BENCHMARK = RECORDINGS / "puppeteer-replay"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def benchmark_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(BENCHMARK)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def _replay(trace: Trace, page: Page, base_url: str, tmp_path: Path) -> None:
    script = tmp_path / "imported.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    module = load_script(script)
    await module.run(page, load_params(module, {}), Options(base_url=base_url))


async def test_benchmark_replays_with_exactly_the_expected_event_log(page: Page, benchmark_site: str, tmp_path: Path) -> None:
    result = import_devtools(json.loads((BENCHMARK / "benchmark.json").read_text()), source="benchmark.json")
    await _replay(result.trace, page, benchmark_site, tmp_path)
    log = await page.locator("#log").inner_text()
    expected = (BENCHMARK / "benchmark.expected.txt").read_text(encoding="utf-8")
    assert log.strip().splitlines() == expected.strip().splitlines()


def test_benchmark_mapping_keeps_selector_order_and_warns_about_what_it_drops() -> None:
    result = import_devtools(json.loads((BENCHMARK / "benchmark.json").read_text()))
    kinds = [s.action.kind for s in result.trace.steps()]
    assert kinds[:3] == ["set_viewport", "goto", "click"]
    hover = next(s for s in result.trace.steps() if s.action.kind == "hover")
    assert [c.strategy for c in hover.action.target.candidates][:3] == ["text", "label", "css"]
    assert hover.action.target.candidates[2].value == "#button"  # order kept, even where it points elsewhere
    double = result.trace.steps()[2].action
    assert double.click_count == 2
    assert any("property and attribute conditions" in w for w in result.warnings)


@pytest.mark.parametrize("name", ["frames_and_keys", "shadow_dom"])
async def test_handwritten_recordings_replay_on_the_example_site(page: Page, serve, tmp_path: Path, name: str) -> None:
    site = serve()
    result = import_devtools(json.loads((RECORDINGS / "handwritten" / f"{name}.json").read_text()))
    await _replay(result.trace, page, site.url, tmp_path)
    if name == "frames_and_keys":
        assert page.url == site.url + "/orders"
        assert result.trace.steps()[2].action.target.frame_path == ("iframe >> nth=0",)
    else:
        status = page.locator("promo-code").locator("#promo-status")
        assert await status.inner_text() == "Promo SAVE10 applied"
        assert any("close has no Encore equivalent" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("recording", "message"),
    [
        ([], "expected an object with a 'steps' list"),
        ({"steps": [{"type": "teleport"}]}, "steps[0]: unknown step type 'teleport'"),
        ({"steps": [{"type": "navigate"}]}, "steps[0]: 'url' must be a str"),
        ({"steps": [{"type": "navigate", "url": "http://x/"}, {"type": "click", "selectors": []}]}, "steps[1]: 'selectors'"),
        ({"steps": [{"type": "click", "selectors": [["#a"]]}]}, "never navigates"),
        ({"steps": [{"type": "navigate", "url": "http://x/", "target": "popup"}]}, "other targets"),
    ],
)
def test_unreadable_recordings_are_refused_with_the_step_named(recording: object, message: str) -> None:
    with pytest.raises(ImportError_) as info:
        import_devtools(recording, source="rec.json")
    assert message in str(info.value)


def test_cli_imports_and_refuses(tmp_path: Path) -> None:
    out = tmp_path / "trace.json"
    ok = subprocess.run([sys.executable, "-m", "tracer", "import", str(BENCHMARK / "benchmark.json"), "-o", str(out)],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0 and json.loads(out.read_text())["id"] == "benchmark"
    bad = tmp_path / "bad.json"
    bad.write_text('{"steps": [{"type": "teleport"}]}')
    refused = subprocess.run([sys.executable, "-m", "tracer", "import", str(bad), "-o", str(tmp_path / "no.json")],
                             capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 2 and "teleport" in refused.stderr
    assert not (tmp_path / "no.json").exists()
