"""The scripted model server, one per test, and an AgentConfig pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent import AgentConfig
from examples.model import ScriptedModel


@pytest.fixture
def model() -> Iterator[ScriptedModel]:
    with ScriptedModel() as server:
        yield server
    assert not server.errors, f"the scripted model reported: {server.errors}"


@pytest.fixture
def config(model: ScriptedModel) -> AgentConfig:
    return AgentConfig(model="gpt-4o-mini", api_key="test-key", base_url=model.url, vision=False, max_retries=2)
