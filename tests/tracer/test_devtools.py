"""DevTools Recorder / @puppeteer/replay recordings to traces: every option kept, or a refusal naming the step."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen import compile_trace
from tracer import (
    DevtoolsChangeAction,
    DevtoolsClickAction,
    DevtoolsKeyAction,
    DevtoolsNavigateAction,
    DevtoolsScrollAction,
    DevtoolsSetViewportAction,
    DevtoolsWaitForElementAction,
    ImportError_,
    LiteralValue,
    canonical_json,
    import_devtools,
)

from ..conftest import ROOT

BENCHMARK = ROOT / "tests" / "fixtures" / "recordings" / "puppeteer-replay" / "benchmark.json"
START = {"type": "navigate", "url": "http://127.0.0.1:8000/start"}


def recording(*steps: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"title": "t", **top, "steps": [START, *steps]}


def only(result: Any) -> Any:
    """The action of the one step after the navigation."""
    steps = result.trace.steps()
    assert len(steps) == 2
    return steps[1].action


def test_benchmark_keeps_every_step_in_order_with_its_options() -> None:
    result = import_devtools(json.loads(BENCHMARK.read_text()), source="benchmark.json")
    steps = result.trace.steps()
    assert [s.id for s in steps] == [f"r{i}" for i in range(1, 16)]  # nothing merged, nothing dropped
    click, double = steps[2].action, steps[3].action
    assert isinstance(click, DevtoolsClickAction) and isinstance(double, DevtoolsClickAction)
    assert (click.count, click.offset_x, click.offset_y) == (1, 36, 18)
    assert (double.count, double.offset_x, double.offset_y) == (2, 36, 18)
    assert click.element.selectors == (("aria/Click",), ("#button",), ('xpath///*[@id="button"]',), ("text/Click",))
    assert [s.action.event for s in steps if isinstance(s.action, DevtoolsKeyAction)] == ["down", "up", "down", "up"]
    right = steps[10].action
    assert isinstance(right, DevtoolsClickAction) and right.button == "secondary" and right.offset_x == 1
    wait = steps[13].action
    assert isinstance(wait, DevtoolsWaitForElementAction)
    assert (wait.count, wait.operator, wait.visible) == (1, ">=", True)  # the runner's defaults, not "=="
    assert wait.properties == {"id": "button"} and wait.attributes == {"id": "button"}
    assert steps[1].action.navigation.url == "http://localhost:8907/benchmark.html"
    assert all(s.action.timeout_ms == 5000 for s in steps)
    assert result.warnings == []


def test_scrolls_are_absolute_positions_of_the_element_or_the_page() -> None:
    element = only(import_devtools(recording({"type": "scroll", "selectors": [["#box"]], "x": 30, "y": 40})))
    page = only(import_devtools(recording({"type": "scroll", "y": 300, "frame": [1]})))
    assert isinstance(element, DevtoolsScrollAction) and (element.x, element.y) == (30, 40)
    assert element.element is not None and element.element.selectors == (("#box",),)
    assert isinstance(page, DevtoolsScrollAction) and page.element is None and (page.x, page.y, page.frame) == (0, 300, (1,))


def test_viewport_flags_are_kept_not_dropped() -> None:
    step = {"type": "setViewport", "width": 390, "height": 844, "deviceScaleFactor": 3,
            "isMobile": True, "hasTouch": True, "isLandscape": True}
    action = import_devtools(recording(step)).trace.steps()[1].action
    assert isinstance(action, DevtoolsSetViewportAction)
    assert (action.is_mobile, action.has_touch, action.is_landscape, action.device_scale_factor) == (True, True, True, 3)


def test_timeouts_come_from_the_step_else_the_recording_else_the_runner() -> None:
    steps = [{"type": "waitForExpression", "expression": "true", "timeout": 250}, {"type": "waitForExpression", "expression": "1"}]
    with_default = import_devtools(recording(*steps)).trace.steps()
    with_flow = import_devtools(recording(*steps, timeout=12000)).trace.steps()
    assert [s.action.timeout_ms for s in with_default[1:]] == [250, 5000]
    assert [s.action.timeout_ms for s in with_flow[1:]] == [250, 12000]


def test_targets_frames_and_asserted_navigations_are_kept() -> None:
    step = {"type": "click", "target": "https://pay.example.com/frame", "frame": [0, 2], "selectors": [["#pay"]],
            "offsetX": 1, "offsetY": 2, "assertedEvents": [{"type": "navigation", "url": "https://x/done", "title": ""}]}
    action = only(import_devtools(recording(step)))
    assert action.page_url == "https://pay.example.com/frame" and action.frame == (0, 2)
    assert action.navigation is not None and action.navigation.url == "https://x/done"


def test_back_and_forward_buttons_are_kept() -> None:
    steps = [{"type": "click", "selectors": ["#a"], "offsetX": 1, "offsetY": 1, "button": b} for b in ("back", "forward")]
    actions = [s.action for s in import_devtools(recording(*steps)).trace.steps()[1:]]
    assert [a.button for a in actions] == ["back", "forward"]


def test_a_click_without_offsets_clicks_the_centre_and_says_so() -> None:
    result = import_devtools(recording({"type": "click", "selectors": ["#a"]}))
    assert only(result).offset_x is None
    assert result.warnings == [
        "steps[1]: no offsetX/offsetY: clicks the centre of the element (@puppeteer/replay's parser requires them)"
    ]


def test_custom_steps_are_skipped_as_the_runner_skips_them() -> None:
    result = import_devtools(recording({"type": "customStep", "name": "screenshot", "parameters": {}}, {"type": "close"}))
    assert [s.action.kind for s in result.trace.steps()] == ["devtools_navigate", "devtools_close"]
    assert "customStep 'screenshot' skipped" in result.warnings[0]


def test_the_start_url_is_the_first_web_page_not_a_browser_page() -> None:
    data = {"title": "t", "steps": [{"type": "navigate", "url": "chrome://new-tab-page/"}, START]}
    trace = import_devtools(data).trace
    assert trace.start_url == "http://127.0.0.1:8000/start"
    assert trace.steps()[0].action.url == LiteralValue(value="chrome://new-tab-page/")


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"type": "teleport"}, "steps[1]: unknown step type 'teleport'"),
        ({"type": "click", "selectors": ["#a"], "offsetX": 1}, "steps[1] (click): 'offsetX' and 'offsetY' go together"),
        ({"type": "click", "selectors": ["#a"], "offsetX": 1, "offsetY": 1, "button": "left"}, "'button' 'left' is not one of"),
        ({"type": "click", "selectors": ["#a"], "offsetX": 1, "offsetY": 1, "deviceType": "pencil"}, "'deviceType'"),
        ({"type": "click", "selectors": [], "offsetX": 1, "offsetY": 1}, "'selectors' must be a non-empty list"),
        ({"type": "click", "selectors": [["#a", ""]], "offsetX": 1, "offsetY": 1}, "selectors[0] must be a non-empty"),
        ({"type": "click", "selectors": ["div::-p-text(Hi)"], "offsetX": 1, "offsetY": 1}, "Puppeteer's ::-p- / >>> selector syntax"),
        ({"type": "click", "selectors": ["aria/Go[level=\"2\"]"], "offsetX": 1, "offsetY": 1}, "aria selector attribute 'level'"),
        ({"type": "click", "selectors": ["text/"], "offsetX": 1, "offsetY": 1}, "selectors[0] 'text/' is empty"),
        ({"type": "click", "selectors": [["#host", "aria/Go"]], "offsetX": 1, "offsetY": 1},
         "selectors[0][1] 'aria/Go': aria/ is replayed only as the first part of a selector"),
        ({"type": "hover", "selectors": [["#host", "pierce/#go"]]}, "pierce/ is replayed only as the first part"),
        ({"type": "hover", "selectors": ["#a"], "timeout": 60000}, "'timeout' 60000 is not between 1 and 30000 ms"),
        ({"type": "hover", "selectors": ["#a"], "frame": ["0"]}, "'frame' must be a list of whole numbers"),
        ({"type": "hover", "selectors": ["#a"], "assertedEvents": [{"type": "title"}]}, "event type 'title' is unknown"),
        ({"type": "waitForElement", "selectors": ["#a"], "operator": ">"}, "'operator' '>' is not one of"),
        ({"type": "waitForElement", "selectors": ["#a"], "attributes": {"n": 1}}, "'attributes' must map attribute names to strings"),
        ({"type": "waitForElement", "selectors": ["#a"], "count": 1.5}, "'count' must be a whole number"),
        ({"type": "waitForExpression"}, "'expression' is missing"),
        ({"type": "setViewport", "width": 100.5, "height": 100}, "'width' and 'height' must be positive whole numbers"),
        ({"type": "setViewport", "width": 100, "height": 100, "isMobile": 1}, "'isMobile' must be true or false"),
        ({"type": "keyDown"}, "'key' must be a string"),
        ({"type": "change", "selectors": ["#a"]}, "'value' must be a string"),
        ({"type": "emulateNetworkConditions", "download": 1, "upload": 1}, "'latency' must be a number"),
        ({"type": "navigate", "url": "http://x/", "target": 3}, "'target' must be \"main\" or the URL"),
    ],
)
def test_what_cannot_be_replayed_exactly_is_refused_naming_the_step(step: dict[str, Any], message: str) -> None:
    with pytest.raises(ImportError_) as info:
        import_devtools(recording(step), source="rec.json")
    assert str(info.value).startswith("rec.json: ")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "expected an object with a 'steps' list"),
        ({"title": 3, "steps": [START]}, "'title' must be a string"),
        ({"steps": [START], "timeout": 0}, "the recording's 'timeout' 0 is not between"),
        ({"steps": [{"type": "click", "selectors": [["#a"]], "offsetX": 1, "offsetY": 1}]}, "no http(s) navigate step"),
        ({"steps": [{"type": "customStep", "name": "x"}]}, "has no step to replay"),
    ],
)
def test_unusable_recordings_are_refused(data: Any, message: str) -> None:
    with pytest.raises(ImportError_, match="^rec.json: ") as info:
        import_devtools(data, source="rec.json")
    assert message in str(info.value)


def test_an_imported_trace_compiles_and_round_trips() -> None:
    trace = import_devtools(json.loads(BENCHMARK.read_text())).trace
    assert json.loads(canonical_json(trace))["blocks"][0]["steps"][2]["action"]["kind"] == "devtools_click"
    source = compile_trace(trace).source
    assert 'await steps.devtools.click(\n        "r4",' in source and "count=2," in source
    compile(source, "imported.py", "exec")


def test_cli_imports_and_refuses(tmp_path: Path) -> None:
    out = tmp_path / "trace.json"
    ok = subprocess.run([sys.executable, "-m", "tracer", "import", str(BENCHMARK), "-o", str(out)],
                        capture_output=True, text=True, cwd=ROOT, check=False)
    assert ok.returncode == 0 and json.loads(out.read_text())["id"] == "benchmark"
    bad = tmp_path / "bad.json"
    bad.write_text('{"steps": [{"type": "navigate", "url": "http://x/"}, {"type": "teleport"}]}')
    refused = subprocess.run([sys.executable, "-m", "tracer", "import", str(bad), "-o", str(tmp_path / "no.json")],
                             capture_output=True, text=True, cwd=ROOT, check=False)
    assert refused.returncode == 2 and refused.stderr.strip().splitlines() == [
        f"error: {bad}: steps[1]: unknown step type 'teleport'"
    ]
    assert not (tmp_path / "no.json").exists()


def test_every_step_type_of_the_format_is_handled() -> None:
    types = ["change", "click", "close", "customStep", "doubleClick", "emulateNetworkConditions", "hover", "keyDown",
             "keyUp", "navigate", "scroll", "setViewport", "waitForElement", "waitForExpression"]
    from tracer._devtools._steps import HANDLERS

    assert sorted(HANDLERS) == types  # @puppeteer/replay's StepType, all of it


def test_change_values_stay_typed_literals_by_default() -> None:
    action = only(import_devtools(recording({"type": "change", "selectors": ["#q"], "value": "shoes"})))
    assert isinstance(action, DevtoolsChangeAction) and action.value == LiteralValue(value="shoes")
    navigate = import_devtools(recording()).trace.steps()[0].action
    assert isinstance(navigate, DevtoolsNavigateAction)


_FIELDS = ["type", "selectors", "offsetX", "offsetY", "button", "value", "key", "url", "target", "frame", "timeout",
           "assertedEvents", "count", "operator", "visible", "properties", "attributes", "x", "y", "width", "height",
           "isMobile", "deviceScaleFactor", "expression", "download", "upload", "latency", "duration", "name"]
_TYPES = ["change", "click", "close", "customStep", "doubleClick", "emulateNetworkConditions", "hover", "keyDown",
          "keyUp", "navigate", "scroll", "setViewport", "waitForElement", "waitForExpression", "other"]


def _json_values() -> Any:
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12) | st.sampled_from(["#a", "aria/X[role=\"b\"]", "text/", "xpath///a", "pierce/#p", "::-p-x", "main", "==", ">="])
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_FIELDS + ["url", "type"]), inner, max_size=3), max_leaves=8)


def test_no_recording_crashes_the_importer() -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    step = st.fixed_dictionaries({"type": st.sampled_from(_TYPES)}, optional={f: _json_values() for f in _FIELDS[1:]})

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(step, max_size=4), st.one_of(st.none(), _json_values()))
    def check(steps: list[dict[str, Any]], timeout: Any) -> None:
        data: dict[str, Any] = {"title": "fuzz", "steps": [START, *steps]}
        if timeout is not None:
            data["timeout"] = timeout
        try:
            result = import_devtools(data, source="fuzz.json")
        except ImportError_ as exc:
            assert str(exc).startswith("fuzz.json: ") and "\n" not in str(exc)
            return
        compile(compile_trace(result.trace).source, "fuzz.py", "exec")

    check()
