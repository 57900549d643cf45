"""Secrets on a worker: from ENCORE_PARAM_<NAME>, else the workflow's reference; never a value in the workflow."""

from __future__ import annotations

from pathlib import Path

import pytest

from encore import WorkflowError, parse_workflow
from encore._secrets import worker_secrets


def _workflow(secrets: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return parse_workflow({
        "id": "shop",
        "parameters": [{"name": "site"}, {"name": "password", "secret": True}],
        "secrets": secrets or {},
        "blocks": [{"label": "open", "kind": "goto", "url": "{{ site }}"}],
    })


def test_the_environment_first_then_the_reference(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret_file = tmp_path / "password"
    secret_file.write_text("from-file\n")
    workflow = _workflow({"password": f"file:{secret_file}"})
    monkeypatch.delenv("ENCORE_PARAM_PASSWORD", raising=False)
    assert worker_secrets(workflow) == {"password": "from-file"}
    monkeypatch.setenv("ENCORE_PARAM_PASSWORD", "from-env")
    assert worker_secrets(workflow) == {"password": "from-env"}
    monkeypatch.delenv("ENCORE_PARAM_PASSWORD")
    monkeypatch.setenv("SHOP_PASSWORD", "from-variable")
    assert worker_secrets(_workflow({"password": "env:SHOP_PASSWORD"})) == {"password": "from-variable"}


def test_a_missing_secret_is_named_with_where_it_was_looked_for(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("ENCORE_PARAM_PASSWORD", raising=False)
    with pytest.raises(WorkflowError, match="secret 'password': set ENCORE_PARAM_PASSWORD on the worker"):
        worker_secrets(_workflow())
    with pytest.raises(WorkflowError, match="cannot read .*missing"):
        worker_secrets(_workflow({"password": f"file:{tmp_path / 'missing'}"}))


def test_a_reference_is_never_a_value() -> None:
    with pytest.raises(WorkflowError, match="secrets.password: a reference is 'env:VARIABLE' or 'file:/path'"):
        _workflow({"password": "hunter2"})
    with pytest.raises(WorkflowError, match="secrets.site: not a declared secret parameter"):
        _workflow({"site": "env:SITE"})
