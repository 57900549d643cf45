"""Configuration: which OpenAI-compatible endpoint and model, limits, and prices; read from the environment."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ._accounting import DEFAULT_PRICES, Price

__all__ = ["AgentConfig", "ConfigError"]

DEFAULT_MODEL = "gpt-4o-mini"
# Families that accept image input; anything else gets text only unless ENCORE_VISION says otherwise.
_VISION_MODELS = ("gpt-4o", "gpt-4.1", "gpt-5", "o3", "o4", "claude", "gemini", "llava", "qwen2.5-vl", "qwen-vl", "pixtral")


class ConfigError(ValueError):
    """The agent's configuration is unusable; the message names the setting."""


@dataclass(frozen=True)
class AgentConfig:
    """Which OpenAI-compatible endpoint and model, the agent's limits, and the price table."""

    model: str = DEFAULT_MODEL
    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    vision: bool | None = None
    max_steps: int = 30
    max_failures: int = 3
    max_retries: int = 2
    temperature: float = 0.0
    timeout_s: float = 120.0
    max_elements: int = 400
    max_request_chars: int = 1_000_000
    """A request larger than this (text and images, as sent) is refused before it is sent."""
    prices: Mapping[str, Price] = field(default_factory=lambda: dict(DEFAULT_PRICES))

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> AgentConfig:
        """OPENAI_API_KEY, OPENAI_BASE_URL, ENCORE_MODEL, ENCORE_VISION (0/1), ENCORE_PRICES (JSON or a file)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {
            "model": env.get("ENCORE_MODEL") or DEFAULT_MODEL,
            "api_key": env.get("OPENAI_API_KEY") or None,
            "base_url": env.get("OPENAI_BASE_URL") or None,
        }
        if env.get("ENCORE_VISION"):
            values["vision"] = env["ENCORE_VISION"].strip().lower() in ("1", "true", "yes", "on")
        if env.get("ENCORE_PRICES"):
            values["prices"] = {**DEFAULT_PRICES, **_read_prices(env["ENCORE_PRICES"])}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> AgentConfig:
        """A copy with the given settings changed (None leaves a setting as it is)."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def sees_images(self) -> bool:
        """Whether the model gets screenshots: ENCORE_VISION, else a guess from the model's name."""
        if self.vision is not None:
            return self.vision
        name = self.model.lower()
        return any(family in name for family in _VISION_MODELS)

    def client_key(self) -> str:
        """The key for the openai client: local servers (vLLM, Ollama) accept any, OpenAI needs a real one."""
        if self.api_key:
            return self.api_key
        if self.base_url:
            return "not-needed"
        raise ConfigError("no model endpoint configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI server)")


def _read_prices(source: str) -> dict[str, Price]:
    text = Path(source).read_text(encoding="utf-8") if not source.lstrip().startswith("{") else source
    try:
        return TypeAdapter(dict[str, Price]).validate_python(json.loads(text))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ConfigError(f"ENCORE_PRICES is not a price table ({{model: {{prompt, completion}}}} per 1M tokens): {exc}") from None
