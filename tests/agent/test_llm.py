"""Accounting at the HTTP layer: calls and tokens are what the endpoint received, failed requests included."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from agent import LLM, AgentConfig, LLMError
from examples.model import ScriptedModel, raw, reply


class Verdict(BaseModel):
    answer: bool
    reason: str = ""


MESSAGES = [{"role": "user", "content": "Is the sky blue?"}]


def _config(model: ScriptedModel) -> AgentConfig:
    return AgentConfig(model="gpt-4o-mini", api_key="k", base_url=model.url, max_retries=2)


def _sent(model: ScriptedModel, key: str) -> int:
    return sum(entry[key] for entry in model.usage)


async def test_a_retried_invalid_answer_counts_both_requests_and_their_tokens() -> None:
    with ScriptedModel() as model:
        model.script(raw("{not json"), reply(answer=True, reason="it is"))
        llm = LLM(_config(model))
        verdict = await llm.ask("question", MESSAGES, Verdict)
    assert verdict.answer is True
    assert llm.usage.llm_calls == len(model.requests) == 2 and llm.usage.failed_calls == 0
    assert llm.usage.prompt_tokens == _sent(model, "prompt_tokens") > 0
    assert llm.usage.completion_tokens == _sent(model, "completion_tokens") > 0


async def test_requests_the_endpoint_failed_are_counted_with_no_tokens() -> None:
    with ScriptedModel() as model:  # nothing scripted: every request is answered HTTP 500
        llm = LLM(_config(model))
        with pytest.raises(LLMError, match="the model endpoint failed"):
            await llm.ask("decide", MESSAGES, Verdict)
    # openai retries a 5xx twice by itself: three requests reached the endpoint, and three are accounted.
    assert len(model.requests) == 3
    assert (llm.usage.llm_calls, llm.usage.failed_calls) == (3, 3)
    assert (llm.usage.prompt_tokens, llm.usage.completion_tokens, llm.usage.cost_usd) == (0, 0, 0.0)
    assert all(call.error and call.error.startswith("HTTP 500") for call in llm.usage.calls)


async def test_a_request_nobody_answers_is_still_a_call() -> None:
    with ScriptedModel() as model:
        url = model.url
    llm = LLM(AgentConfig(model="gpt-4o-mini", api_key="k", base_url=url, max_retries=0, timeout_s=5))
    with pytest.raises(LLMError):
        await llm.ask("decide", MESSAGES, Verdict)
    assert llm.usage.llm_calls == 3 and llm.usage.failed_calls == 3
    assert {call.error for call in llm.usage.calls} == {"no answer"}
