"""The model client: structured answers through instructor over the openai client, with every request accounted."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel

from ._accounting import Usage
from ._config import AgentConfig

__all__ = ["LLM", "LLMError"]

T = TypeVar("T", bound=BaseModel)


class LLMError(RuntimeError):
    """The model gave no valid answer after the configured retries, or the endpoint failed."""


class LLM:
    """One client per run; `usage` gets one entry per HTTP request the endpoint was sent.

    Requests are counted at the HTTP layer (the client's event hooks), not from parsed answers: the
    openai client's own retries after a 5xx or 429, requests that got an error status, and requests
    that got no answer at all are calls too, so the count is what the endpoint received.
    """

    def __init__(self, config: AgentConfig, usage: Usage | None = None) -> None:
        self.config = config
        self.usage = usage if usage is not None else Usage()
        self._purpose = ""
        self._unanswered: set[int] = set()
        # Imported here: openai's types take most of a second to load, and a run from cached code never needs them.
        import instructor
        from openai import AsyncOpenAI, DefaultAsyncHttpxClient

        http_client = DefaultAsyncHttpxClient(event_hooks={"request": [self._sent], "response": [self._answered]})
        openai_client = AsyncOpenAI(
            api_key=config.client_key(),
            base_url=config.base_url,
            timeout=config.timeout_s,
            max_retries=2,
            http_client=http_client,
        )
        self._client = instructor.from_openai(openai_client, mode=instructor.Mode.TOOLS)

    async def _sent(self, request: Any) -> None:
        self._unanswered.add(id(request))

    async def _answered(self, response: Any) -> None:
        self._unanswered.discard(id(response.request))
        await response.aread()  # the body carries the token counts; the client reads it again from memory
        try:
            body = json.loads(response.content or b"{}")
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
        error = None
        if response.status_code >= 400:
            detail = body.get("error", {}).get("message") if isinstance(body.get("error"), dict) else None
            error = f"HTTP {response.status_code}" + (f": {str(detail)[:300]}" if detail else "")
        self.usage.record(
            self._purpose,
            str(body.get("model") or self.config.model),
            int(usage.get("prompt_tokens") or 0),
            int(usage.get("completion_tokens") or 0),
            dict(self.config.prices),
            error=error,
        )

    def _account_unanswered(self) -> None:
        for _ in range(len(self._unanswered)):
            self.usage.record(self._purpose, self.config.model, 0, 0, dict(self.config.prices), error="no answer")
        self._unanswered.clear()

    async def ask(
        self, purpose: str, messages: list[dict[str, Any]], response_model: type[T], context: dict[str, Any] | None = None
    ) -> T:
        """A validated `response_model`; invalid answers are re-asked with the validation error."""
        from instructor.core.exceptions import InstructorRetryException

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
            self._account_unanswered()
            failed = self.usage.calls[-1] if self.usage.calls else None
            if failed is not None and not failed.ok:  # the endpoint failed; no answer was ever invalid
                raise LLMError(f"{purpose}: the model endpoint failed: {failed.error}") from None
            raise LLMError(f"{purpose}: no valid answer after {exc.n_attempts} attempts: {_last_error(exc)}") from None
        except Exception as exc:  # noqa: BLE001 - openai's errors, connection failures: one clear message
            raise LLMError(f"{purpose}: the model endpoint failed: {type(exc).__name__}: {exc}") from None
        finally:
            self._account_unanswered()  # sent, but no response ever came (connection reset, timeout)


def _last_error(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[-1][:500] if text else type(exc).__name__
