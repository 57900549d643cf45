"""Configuration from the environment, and the price table behind cost estimates."""

from __future__ import annotations

import json

import pytest

from agent import DEFAULT_PRICES, AgentConfig, ConfigError, Price, Usage, price_for


def test_reads_the_openai_variables_and_the_model() -> None:
    config = AgentConfig.from_env({"OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "ENCORE_MODEL": "llama3"})
    assert (config.model, config.base_url, config.client_key()) == ("llama3", "http://127.0.0.1:1/v1", "k")
    assert "k" not in repr(config)


def test_overrides_win_over_the_environment() -> None:
    config = AgentConfig.from_env({"ENCORE_MODEL": "a"}, model="b", max_steps=5)
    assert (config.model, config.max_steps) == ("b", 5)


def test_a_local_server_needs_no_key_but_openai_does() -> None:
    assert AgentConfig(base_url="http://127.0.0.1:11434/v1").client_key() == "not-needed"
    with pytest.raises(ConfigError, match="OPENAI_API_KEY"):
        AgentConfig().client_key()


def test_vision_is_guessed_from_the_model_and_can_be_forced() -> None:
    assert AgentConfig(model="gpt-4o-2024-08-06").sees_images
    assert not AgentConfig(model="llama3.1:8b").sees_images
    assert AgentConfig.from_env({"ENCORE_MODEL": "llama3.1:8b", "ENCORE_VISION": "1"}).sees_images


def test_prices_extend_and_override_the_defaults(tmp_path) -> None:
    table = tmp_path / "prices.json"
    table.write_text(json.dumps({"llama3": {"prompt": 0, "completion": 0}, "gpt-4o": {"prompt": 5, "completion": 15}}))
    config = AgentConfig.from_env({"ENCORE_PRICES": str(table)})
    assert config.prices["gpt-4o"] == Price(prompt=5, completion=15)
    assert config.prices["gpt-4o-mini"] == DEFAULT_PRICES["gpt-4o-mini"]
    with pytest.raises(ConfigError, match="ENCORE_PRICES"):
        AgentConfig.from_env({"ENCORE_PRICES": '{"x": {"prompt": -1}}'})


def test_costs_use_the_longest_matching_price_and_unknown_models_cost_unknown() -> None:
    assert price_for("gpt-4o-mini-2024-07-18", DEFAULT_PRICES) == DEFAULT_PRICES["gpt-4o-mini"]
    usage = Usage()
    usage.record("decide", "gpt-4o-mini", 1_000_000, 100_000, DEFAULT_PRICES)
    assert usage.cost_usd == pytest.approx(0.15 + 0.06)
    usage.record("decide", "my-local-model", 10, 10, DEFAULT_PRICES)
    assert usage.cost_usd is None and usage.llm_calls == 2 and usage.prompt_tokens == 1_000_010
