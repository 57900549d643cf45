"""`steps.devtools`: imported recordings replayed, enriched on a first replay, then verified on every later one."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page

from codegen import compile_trace
from runtime import DivergenceError, Enrichment, Options, load_params, load_script
from runtime._devtools._aria import parse_aria
from runtime._devtools._navigation import same_path
from tracer import SecretRef, Trace, UrlMatches, import_devtools, parse_lift, write_trace

from ..conftest import ROOT

RECORDINGS = ROOT / "tests" / "fixtures" / "recordings"
BENCHMARK = RECORDINGS / "puppeteer-replay"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _serve(folder: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def benchmark_site() -> Iterator[str]:
    yield from _serve(BENCHMARK)


@pytest.fixture
def shop_pages(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder of small pages the test writes, served on 127.0.0.1."""
    folder = tmp_path / "site"
    folder.mkdir()
    for url in _serve(folder):
        yield folder, url


async def _replay(trace: Trace, page: Page, tmp_path: Path, **options: Any) -> list[Any]:
    script = tmp_path / f"{trace.id}.py"
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    module = load_script(script)
    results: list[Any] = []
    await module.run(page, load_params(module, options.pop("params", {})), Options(on_step=results.append, **options))
    return results


async def test_benchmark_leaves_the_event_log_the_current_runner_leaves(page: Page, benchmark_site: str, tmp_path: Path) -> None:
    trace = import_devtools(json.loads((BENCHMARK / "benchmark.json").read_text()), source="benchmark.json").trace
    await _replay(trace, page, tmp_path, base_url=benchmark_site)
    log = await page.locator("#log").inner_text()
    expected = (BENCHMARK / "benchmark.replay-3.1.3.txt").read_text(encoding="utf-8")
    assert log.strip().splitlines() == expected.strip().splitlines()


async def test_frames_keys_and_navigation_on_the_example_shop(page: Page, serve: Any, tmp_path: Path) -> None:
    site = serve()
    trace = import_devtools(json.loads((RECORDINGS / "handwritten" / "frames_and_keys.json").read_text())).trace
    results = await _replay(trace, page, tmp_path, base_url=site.url)
    assert page.url == site.url + "/orders"
    assert [r.step_id for r in results] == [s.id for s in trace.steps()]


async def test_shadow_roots_then_the_page_is_closed(page: Page, serve: Any, tmp_path: Path) -> None:
    site = serve()
    trace = import_devtools(json.loads((RECORDINGS / "handwritten" / "shadow_dom.json").read_text())).trace
    results = await _replay(trace, page, tmp_path, base_url=site.url)
    # waitForElement found the status only once the promo code applied; `close` then closed the page.
    assert [r.action for r in results][-2:] == ["devtools_wait_for_element", "devtools_close"]
    assert page.is_closed()


_SHOP = """<!DOCTYPE html><title>shop</title>
<label>Coupon <input id="coupon"></label>
{buy}
<a id="next" href="/done.html">Checkout</a>
<pre id="log"></pre>"""
_BUY = """<button id="buy" onclick="document.getElementById('log').textContent += 'bought '">Buy now</button>"""
# A redesign moved the id onto another control: Chrome's replay would click it all the same.
_DECOY = """<form id="danger"><a id="buy" href="#" onclick="document.getElementById('log').textContent += 'deleted '">
Delete my account</a></form>"""
_RECORDING = {
    "title": "buy",
    "steps": [
        {"type": "navigate", "url": "http://localhost:8907/shop.html"},
        {"type": "change", "selectors": [["aria/Coupon"], ["#coupon"]], "value": "SAVE10"},
        {"type": "click", "selectors": [["#buy"], ["xpath///button"]], "offsetX": 3, "offsetY": 3},
        {"type": "click", "selectors": [["aria/Checkout"], ["#next"]], "offsetX": 2, "offsetY": 2,
         "assertedEvents": [{"type": "navigation", "url": "http://localhost:8907/done.html"}]},
    ],
}


async def test_a_first_replay_enriches_and_later_replays_are_verified(
    browser: Any, shop_pages: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = shop_pages
    (folder / "done.html").write_text("<title>done</title><p>thanks</p>")
    (folder / "shop.html").write_text(_SHOP.format(buy=_BUY))
    trace = import_devtools(_RECORDING).trace

    enrichment = Enrichment()
    context = await browser.new_context()
    await _replay(trace, await context.new_page(), tmp_path, base_url=url, enrich=enrichment)
    await context.close()
    enriched, notes = enrichment.apply(trace)
    assert notes == []
    steps = {s.id: s for s in enriched.steps()}
    assert all(steps[i].action.element.fingerprint is not None for i in ("r2", "r3", "r4"))
    assert steps["r3"].action.element.fingerprint.name == "Buy now"
    assert steps["r4"].postconditions == (UrlMatches(pattern=f"{url}/done.html"),)
    assert steps["r2"].postconditions[0].kind == "field_value"
    assert steps["r1"].postconditions == ()  # the recorder keeps nothing after a goto either

    # The page changes: `#buy` now deletes the account. Chrome's replay would click it; so does the
    # unverified import. The enriched trace knows what `#buy` looked like and stops.
    (folder / "shop.html").write_text(_SHOP.format(buy=_DECOY))
    context = await browser.new_context()
    page = await context.new_page()
    await _replay(trace, page, tmp_path, base_url=url)
    assert page.url == f"{url}/done.html"
    await context.close()

    context = await browser.new_context()
    page = await context.new_page()
    with pytest.raises(DivergenceError) as info:
        await _replay(enriched.model_copy(update={"id": "enriched"}), page, tmp_path, base_url=url)
    assert info.value.divergence.reason == "fingerprint_mismatch" and info.value.divergence.step_id == "r3"
    assert await page.locator("#log").inner_text() == ""
    await context.close()


async def test_a_literal_typed_into_a_password_field_becomes_a_secret_when_enriched(
    page: Page, shop_pages: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = shop_pages
    (folder / "login.html").write_text('<input id="code" type="password"><input id="user">')
    recording = {"title": "t", "steps": [
        {"type": "navigate", "url": f"{url}/login.html"},
        {"type": "change", "selectors": [["#user"]], "value": "ada"},
        {"type": "change", "selectors": [["#code"]], "value": "s3cret-value"},
    ]}
    trace = import_devtools(recording).trace  # "#code" does not say "password": the import cannot tell
    enrichment = Enrichment()
    await _replay(trace, page, tmp_path, enrich=enrichment)
    enriched, notes = enrichment.apply(trace)
    assert enriched.steps()[2].action.value == SecretRef(name="password")
    assert enriched.steps()[2].postconditions[0].value == SecretRef(name="password")
    assert "s3cret-value" not in enriched.model_dump_json() and "s3cret-value" not in " ".join(notes)
    assert [p.name for p in enriched.parameters if p.secret] == ["password"]


async def test_a_click_without_offsets_lands_in_the_centre(page: Page, shop_pages: tuple[Path, str], tmp_path: Path) -> None:
    folder, url = shop_pages
    (folder / "c.html").write_text('<div id="t" style="width:100px;height:50px" '
                                   'onclick="this.textContent = event.offsetX + \',\' + event.offsetY"></div>')
    trace = import_devtools({"title": "c", "steps": [{"type": "navigate", "url": f"{url}/c.html"},
                                                     {"type": "click", "selectors": ["#t"]}]}).trace
    await _replay(trace, page, tmp_path)
    assert await page.locator("#t").inner_text() == "50,25"


async def test_a_popup_that_never_opens_is_named_in_the_divergence(
    page: Page, shop_pages: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = shop_pages
    (folder / "p.html").write_text("<button>Open</button>")
    trace = import_devtools({"title": "p", "steps": [
        {"type": "navigate", "url": f"{url}/p.html"},
        {"type": "click", "target": f"{url}/popup.html", "selectors": ["button"], "offsetX": 1, "offsetY": 1, "timeout": 300},
    ]}).trace
    with pytest.raises(DivergenceError) as info:
        await _replay(trace, page, tmp_path)
    assert info.value.divergence.step_id == "r2"
    assert f"no page or frame has the URL '{url}/popup.html'" in info.value.divergence.message


def test_runtime_cli_enriches_the_trace_the_script_came_from(shop_pages: tuple[Path, str], tmp_path: Path) -> None:
    folder, url = shop_pages
    (folder / "done.html").write_text("<title>done</title>")
    (folder / "shop.html").write_text(_SHOP.format(buy=_BUY))
    trace_file, script = tmp_path / "buy.json", tmp_path / "buy.py"
    trace = import_devtools(_RECORDING).trace
    write_trace(trace, trace_file)
    script.write_text(compile_trace(trace).source, encoding="utf-8")
    out = tmp_path / "enriched.json"
    run = subprocess.run([sys.executable, "-m", "runtime", "run", str(script), "--base-url", url, "--enrich", str(trace_file),
                          "--enriched", str(out)], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr
    assert "enriched 3 steps" in run.stdout
    assert json.loads(out.read_text())["blocks"][0]["steps"][2]["action"]["element"]["fingerprint"]["tag"] == "button"

    other = tmp_path / "other.json"
    write_trace(trace.model_copy(update={"title": "another"}), other)
    refused = subprocess.run([sys.executable, "-m", "runtime", "run", str(script), "--enrich", str(other)],
                             capture_output=True, text=True, cwd=ROOT, check=False)
    assert refused.returncode == 2 and "was not compiled from" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize(
    ("url", "expected", "same"),
    [
        ("http://h/cart?session=9", "http://h/cart?session=1", True),
        ("http://h/cart#top", "http://h/cart", True),
        ("http://h/orders/1005", "http://h/orders/1004", True),
        ("http://h/account/", "http://h/account", True),
        ("http://h/login?error=1", "http://h/dashboard", False),
        ("https://h/cart", "http://h/cart", False),
        ("http://h/product/OTHERPRODUCT", "http://h/product/66VCHSJNUP", False),
    ],
)
def test_an_asserted_navigation_must_reach_the_recorded_path(url: str, expected: str, same: bool) -> None:
    assert same_path(url, expected) is same


@pytest.mark.parametrize(
    ("selector", "parsed"),
    [
        ("Sign in", ("Sign in", None)),
        ('Sign in[role="button"]', ("Sign in", "button")),
        ("[role='link'][name=\"Home\"]", ("Home", "link")),
        ('[role="main"]', (None, "main")),
    ],
)
def test_aria_selectors_read_as_puppeteer_reads_them(selector: str, parsed: tuple[str | None, str | None]) -> None:
    assert parse_aria(selector) == parsed


async def test_an_imported_secret_is_typed_only_on_the_origin_it_was_recorded_on(
    page: Page, shop_pages: tuple[Path, str], tmp_path: Path
) -> None:
    folder, url = shop_pages
    (folder / "login.html").write_text(
        '<form><label>Password <input id="pw" type="password"></label></form>', encoding="utf-8"
    )
    elsewhere = url.replace("127.0.0.1", "localhost")  # the same page served on another origin
    recording = {
        "title": "pw",
        "steps": [
            {"type": "navigate", "url": f"{url}/login.html"},
            {"type": "navigate", "url": f"{elsewhere}/login.html"},
            {"type": "change", "selectors": [["#pw"]], "value": "hunter2!x", "offsetX": 1, "offsetY": 1},
        ],
    }
    trace = import_devtools(recording, lifts=[parse_lift("password=2", secret=True)]).trace
    assert [p.name for p in trace.parameters if p.secret] == ["password"]

    with pytest.raises(DivergenceError) as stopped:
        await _replay(trace, page, tmp_path, params={"password": "hunter2!x"})

    assert stopped.value.divergence.reason == "secret_origin"
    assert await page.locator("#pw").input_value() == ""
