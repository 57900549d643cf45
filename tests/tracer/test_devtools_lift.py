"""Secrets and parameters on import: typed values lifted out of the recording, secret ones never stored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen import compile_trace
from tracer import (
    ImportError_,
    LiteralValue,
    ParamRef,
    SecretRef,
    canonical_json,
    import_devtools,
    parse_lift,
)

from ..conftest import ROOT

PASSWORD = "correct horse battery staple"


def login(*extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": "Sign in",
        "steps": [
            {"type": "navigate", "url": "http://127.0.0.1:8000/login"},
            {"type": "change", "selectors": [["aria/E-mail"], ["#email"]], "value": "ada@example.com"},
            {"type": "change", "selectors": [["aria/Pass phrase"], ["#pw"]], "value": PASSWORD},
            {"type": "click", "selectors": [["aria/Sign in[role=\"button\"]"]], "offsetX": 1, "offsetY": 1},
            *extra,
        ],
    }


def stored(result: Any) -> str:
    """Everything a trace and its script would write to disk."""
    return canonical_json(result.trace) + compile_trace(result.trace).source


def test_a_secret_named_by_step_index_is_a_reference_and_its_value_is_nowhere() -> None:
    result = import_devtools(login(), lifts=[parse_lift("password=2", secret=True)], detect_passwords=False)
    action = result.trace.steps()[2].action
    assert action.value == SecretRef(name="password")
    assert [(p.name, p.secret, p.default) for p in result.trace.parameters] == [("password", True, None)]
    assert PASSWORD not in stored(result)
    assert "the secret password" in result.trace.steps()[2].intention


def test_a_secret_or_parameter_named_by_selector() -> None:
    result = import_devtools(login(), lifts=[parse_lift("pw=#pw", secret=True), parse_lift("email=aria/E-mail", secret=False)],
                             detect_passwords=False)
    email, secret = (s.action.value for s in result.trace.steps()[1:3])
    assert email == ParamRef(name="email") and secret == SecretRef(name="pw")
    declared = {p.name: p for p in result.trace.parameters}
    assert declared["email"].default == "ada@example.com" and not declared["email"].secret  # replays as recorded by default
    assert PASSWORD not in stored(result)


def test_a_navigation_url_can_be_a_parameter_not_a_secret() -> None:
    result = import_devtools(login(), lifts=[parse_lift("site=0", secret=False)])
    assert result.trace.steps()[0].action.url == ParamRef(name="site")
    assert result.trace.start_url == "http://127.0.0.1:8000/login"
    with pytest.raises(ImportError_, match="only typed values can be secret"):
        import_devtools(login(), lifts=[parse_lift("site=0", secret=True)])


@pytest.mark.parametrize("selector", ["aria/Password", "#password", 'input[type="password"]', "aria/Passwort",
                                      "xpath///*[@name='user_pwd']", "pierce/#passcode"])
def test_fields_named_like_passwords_are_secrets_without_being_asked(selector: str) -> None:
    data = login()
    data["steps"][2]["selectors"] = [[selector]]
    result = import_devtools(data)
    assert result.trace.steps()[2].action.value == SecretRef(name="password")
    assert PASSWORD not in stored(result)
    assert any("looks like a password field" in w and "ENCORE_PARAM_PASSWORD" in w for w in result.warnings)


def test_password_detection_can_be_turned_off_and_leaves_other_fields_alone() -> None:
    data = login()
    data["steps"][2]["selectors"] = [["#password"]]
    kept = import_devtools(data, detect_passwords=False)
    assert kept.trace.steps()[2].action.value == LiteralValue(value=PASSWORD)
    detected = import_devtools(data)
    assert detected.trace.steps()[1].action.value == LiteralValue(value="ada@example.com")


def test_the_same_secret_typed_again_elsewhere_is_the_same_secret() -> None:
    confirm = {"type": "change", "selectors": [["#confirm"]], "value": PASSWORD}
    result = import_devtools(login(confirm), lifts=[parse_lift("password=2", secret=True)])
    assert result.trace.steps()[4].action.value == SecretRef(name="password")
    assert PASSWORD not in stored(result)
    assert any("types the value of secret 'password'" in w for w in result.warnings)


@pytest.mark.parametrize(
    "leak",
    [
        {"type": "waitForElement", "selectors": [[f"aria/Welcome {PASSWORD}"]]},
        {"type": "waitForExpression", "expression": f"document.title.includes({PASSWORD!r})"},
        {"type": "click", "selectors": [["#x"]], "offsetX": 1, "offsetY": 1,
         "assertedEvents": [{"type": "navigation", "url": f"http://127.0.0.1:8000/?pw={PASSWORD}"}]},
    ],
)
def test_a_recording_that_repeats_the_secret_elsewhere_is_refused(leak: dict[str, Any]) -> None:
    with pytest.raises(ImportError_) as info:
        import_devtools(login(leak), lifts=[parse_lift("password=2", secret=True)], source="rec.json")
    assert "contains the value of secret 'password'" in str(info.value) and "steps[4]" in str(info.value)
    assert PASSWORD not in str(info.value)


@pytest.mark.parametrize(
    ("lift", "message"),
    [
        ("password=9", "no change or navigate step has that index or selector"),
        ("password=#nowhere", "no change or navigate step has that index or selector"),
        ("2nd=2", "not a usable parameter name"),
        ("password", "expected NAME=<step index or selector>"),
    ],
)
def test_a_lift_that_names_nothing_usable_is_refused(lift: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        import_devtools(login(), lifts=[parse_lift(lift, secret=True)])
    assert message in str(info.value)


def test_two_steps_with_different_values_cannot_be_one_parameter() -> None:
    with pytest.raises(ImportError_, match="typed different values"):
        import_devtools(login(), lifts=[parse_lift("who=1", secret=False), parse_lift("who=2", secret=False)])


def test_cli_secret_flag_and_exit_codes(tmp_path: Path) -> None:
    source = tmp_path / "login.json"
    source.write_text(json.dumps(login()), encoding="utf-8")
    out = tmp_path / "trace.json"
    ok = subprocess.run([sys.executable, "-m", "tracer", "import", str(source), "-o", str(out), "--secret", "pw=#pw",
                         "--param", "email=1"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert ok.returncode == 0, ok.stderr
    assert PASSWORD not in out.read_text() and PASSWORD not in ok.stdout + ok.stderr
    bad = subprocess.run([sys.executable, "-m", "tracer", "import", str(source), "-o", str(tmp_path / "no.json"),
                          "--secret", "pw=#missing"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert bad.returncode == 2 and "#missing" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "no.json").exists()
