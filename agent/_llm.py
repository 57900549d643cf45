"""The model client: structured answers through instructor over the openai client, with every call accounted."""

from __future__ import annotations

import json
from typing import Any, TypeVar

import instructor
from instructor.core.exceptions import InstructorRetryException
from openai import AsyncOpenAI
from pydantic import BaseModel

from ._accounting import Usage
from ._config import AgentConfig

__all__ = ["LLM", "LLMError"]

T = TypeVar("T", bound=BaseModel)


class LLMError(RuntimeError):
    """The model gave no valid answer after the configured retries, or the endpoint failed."""


class LLM:
    """One client per run; `usage` collects every HTTP completion, retries included."""

    def __init__(self, config: AgentConfig, usage: Usage | None = None) -> None:
        self.config = config
        self.usage = usage if usage is not None else Usage()
        self._purpose = ""
        openai_client = AsyncOpenAI(
            api_key=config.client_key(), base_url=config.base_url, timeout=config.timeout_s, max_retries=2
        )
        self._client = instructor.from_openai(openai_client, mode=instructor.Mode.TOOLS)
        self._client.on("completion:response", self._account)

    def _account(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        self.usage.record(
            self._purpose,
            getattr(response, "model", None) or self.config.model,
            int(getattr(usage, "prompt_tokens", 0) or 0),
            int(getattr(usage, "completion_tokens", 0) or 0),
            dict(self.config.prices),
        )

    async def ask(
        self, purpose: str, messages: list[dict[str, Any]], response_model: type[T], context: dict[str, Any] | None = None
    ) -> T:
        """A validated `response_model`; invalid answers are re-asked with the validation error."""
        self._purpose = purpose
        size = len(json.dumps(messages, ensure_ascii=False, default=str))
        if size > self.config.max_request_chars:
            # Bounded cost: a goal or page that expanded to megabytes is refused here, not paid for.
            raise LLMError(
                f"{purpose}: the request would be {size} characters, more than the limit of"
                f" {self.config.max_request_chars}: a goal, a parameter or the page is too large"
            )
        try:
            return await self._client.chat.completions.create(
                model=self.config.model,
                messages=messages,  # type: ignore[arg-type]
                response_model=response_model,
                context=context,
                max_retries=self.config.max_retries,
                temperature=self.config.temperature,
            )
        except InstructorRetryException as exc:
            raise LLMError(f"{purpose}: no valid answer after {exc.n_attempts} attempts: {_last_error(exc)}") from None
        except Exception as exc:  # noqa: BLE001 - openai's errors, connection failures: one clear message
            raise LLMError(f"{purpose}: the model endpoint failed: {type(exc).__name__}: {exc}") from None


def _last_error(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:500] if text else type(exc).__name__
