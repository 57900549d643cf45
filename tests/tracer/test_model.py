from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from tracer import (
    SCHEMA_VERSION,
    Candidate,
    FillAction,
    LiteralValue,
    Parameter,
    Trace,
    TraceError,
    WaitForAction,
    parse_trace,
    trace_sha256,
)

from ..conftest import TRACES


def _trace(**overrides: object) -> dict:
    data = {
        "id": "t",
        "start_url": "http://127.0.0.1:1/",
        "parameters": [{"name": "email"}, {"name": "password", "secret": True}],
        "blocks": [
            {
                "label": "b",
                "steps": [
                    {
                        "id": "s1",
                        "intention": "fill",
                        "action": {
                            "kind": "fill",
                            "value": {"kind": "param", "name": "email"},
                            "target": {"candidates": [{"strategy": "css", "value": "#e"}]},
                        },
                    }
                ],
            }
        ],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("path", sorted(TRACES.glob("*.json")), ids=lambda p: p.stem)
def test_bundled_traces_round_trip_through_json(path) -> None:
    trace = parse_trace(path.read_text(encoding="utf-8"), str(path))
    again = Trace.model_validate_json(trace.model_dump_json())
    assert again == trace
    assert trace_sha256(again) == trace_sha256(trace)


def test_models_are_frozen_and_forbid_unknown_fields() -> None:
    candidate = Candidate(strategy="css", value="#x")
    with pytest.raises(ValidationError):
        candidate.value = "#y"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Candidate(strategy="css", value="#x", colour="red")  # type: ignore[call-arg]


def test_bare_scalar_is_a_literal_value() -> None:
    action = FillAction.model_validate(
        {"kind": "fill", "value": "hello", "target": {"candidates": [{"strategy": "css", "value": "#x"}]}}
    )
    assert action.value == LiteralValue(value="hello")


def test_unknown_action_kind_names_the_path() -> None:
    data = _trace()
    data["blocks"][0]["steps"][0]["action"]["kind"] = "teleport"
    with pytest.raises(TraceError) as info:
        parse_trace(json.dumps(data), "trace.json")
    assert "trace.json" in str(info.value)
    assert "blocks.0.steps.0.action" in str(info.value)
    assert "teleport" in str(info.value)


def test_missing_parameter_declaration_is_refused() -> None:
    data = _trace(parameters=[])
    with pytest.raises(TraceError, match="undeclared parameter 'email'"):
        parse_trace(json.dumps(data))


def test_secret_used_as_plain_param_is_refused() -> None:
    data = _trace()
    data["blocks"][0]["steps"][0]["action"]["value"] = {"kind": "param", "name": "password"}
    with pytest.raises(TraceError, match="must be referenced as a secret"):
        parse_trace(json.dumps(data))


def test_a_secret_parameter_cannot_store_a_default() -> None:
    with pytest.raises(ValidationError, match="cannot have a default"):
        Parameter(name="token", secret=True, default="abc")


@pytest.mark.parametrize("name", ["class", "2fast", "with space", ""])
def test_parameter_names_are_python_identifiers(name: str) -> None:
    with pytest.raises(ValidationError):
        Parameter(name=name)


def test_duplicate_step_ids_are_refused() -> None:
    data = _trace()
    data["blocks"][0]["steps"].append(data["blocks"][0]["steps"][0])
    with pytest.raises(TraceError, match="duplicate step id 's1'"):
        parse_trace(json.dumps(data))


def test_wait_for_needs_exactly_one_condition() -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        WaitForAction(url="**/x", expression="true")


def test_invalid_json_says_where() -> None:
    with pytest.raises(TraceError, match="line 1, column"):
        parse_trace("{not json", "broken.json")


def test_json_schema_is_exported_with_version() -> None:
    schema = Trace.model_json_schema()
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    kinds = set(schema["$defs"]["Step"]["properties"]["action"]["discriminator"]["mapping"])
    assert {"goto", "click", "fill", "extract", "assert", "complete", "terminate"} <= kinds
