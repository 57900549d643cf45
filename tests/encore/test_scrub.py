"""trace.zip: request bodies and credentials dropped, event values redacted (weak secrets where whole), files
redacted in every spelling; the archive stays a valid zip of JSON lines."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from encore._scrub import scrub_zip

STRONG, WEAK = "Zq~9*é &<x", "0"


def _archive(path: Path) -> None:
    network = {"type": "resource-snapshot", "snapshot": {
        "request": {"url": "http://h/session?pin=0", "bodySize": 20,
                    "postData": {"mimeType": "application/json", "_file": "resources/body.json"},
                    "headers": [{"name": "Authorization", "value": "Basic dXNlcjpzZWNyZXQ="}, {"name": "Accept", "value": "*/*"}]},
        "response": {"headers": [{"name": "Set-Cookie", "value": "session=abc"}]}}}
    events = [
        {"type": "before", "callId": "c1", "method": "fill", "params": {"selector": "#pin", "value": WEAK}},
        {"type": "log", "callId": "c1", "message": '  fill("0")'},
        {"type": "before", "callId": "c2", "method": "fill", "params": {"selector": "#pw", "value": STRONG}},
        {"type": "frame-snapshot", "snapshot": {"html": ["INPUT", {"__playwright_value_": f"is {STRONG}"}]}},
    ]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("trace.network", json.dumps(network) + "\n")
        archive.writestr("trace.trace", "\n".join(json.dumps(e, ensure_ascii=False) for e in events) + "\n")
        archive.writestr("resources/body.json", json.dumps({"password": STRONG}, ensure_ascii=False))
        archive.writestr("resources/page.html", f"<p>{STRONG.replace('&', '&amp;').replace('<', '&lt;')}</p>")


def test_bodies_and_credentials_are_dropped_and_values_redacted(tmp_path: Path) -> None:
    path = tmp_path / "trace.zip"
    _archive(path)
    scrub_zip(path, {"password": STRONG, "pin": WEAK})
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["resources/page.html", "trace.network", "trace.trace"]
        network = json.loads(archive.read("trace.network"))
        events = [json.loads(line) for line in archive.read("trace.trace").decode().splitlines()]
        page = archive.read("resources/page.html").decode()
    request = network["snapshot"]["request"]
    assert "postData" not in request and request["bodySize"] == 0 and request["url"] == "http://h/session?pin=***"
    assert request["headers"] == [{"name": "Authorization", "value": "***"}, {"name": "Accept", "value": "*/*"}]
    assert network["snapshot"]["response"]["headers"][0]["value"] == "***"
    assert events[0]["params"]["value"] == "***" and events[1]["message"] == '  fill("***")'
    assert events[2]["params"] == {"selector": "#pw", "value": "***"} and events[0]["method"] == "fill"
    assert events[3]["snapshot"]["html"][1]["__playwright_value_"] == "is ***"
    assert page == "<p>***</p>"
