"""The checks of `POST /v1/runs` that need no server: what is refused before a run is stored, and where."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from encore._server._problems import Problem
from encore._server._submit import _preflight
from encore._store import Store
from encore._workflow import parse_workflow

WORKFLOW = parse_workflow({
    "id": "look", "parameters": [{"name": "site"}],
    "blocks": [{"label": "look", "kind": "task", "goal": "Look at the page", "url": "{{ site }}"}],
})


def _state(tmp_path: Path, *, in_process: bool) -> SimpleNamespace:
    return SimpleNamespace(store=Store(str(tmp_path / "store.sqlite")),
                           dispatcher=SimpleNamespace(accepts_secrets=in_process))


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_a_run_that_needs_a_model_this_server_lacks_is_refused_when_it_runs_runs_itself(tmp_path: Path, no_model: None) -> None:
    with pytest.raises(Problem) as refused:
        _preflight(_state(tmp_path, in_process=True), WORKFLOW, "k", "code")
    assert refused.value.status == 422 and refused.value.errors[0]["loc"] == ["body", "run_with"]  # type: ignore[index]
    assert "block look has no cached version yet" in refused.value.detail and "OPENAI_API_KEY" in refused.value.detail


def test_separate_workers_have_their_own_model_settings_but_share_the_cache(tmp_path: Path, no_model: None) -> None:
    state = _state(tmp_path, in_process=False)
    _preflight(state, WORKFLOW, "k", "code")  # the workers may have a model: not this server's to judge
    with pytest.raises(Problem) as refused:
        _preflight(state, WORKFLOW, "k", "code_only")
    assert refused.value.errors[0]["loc"] == ["body", "run_with"] and "nothing cached" in refused.value.detail  # type: ignore[index]
