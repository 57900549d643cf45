"""Accounting: every LLM call an agent makes, its tokens, and what it cost by a configurable price table."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["DEFAULT_PRICES", "LLMCall", "Price", "Usage", "price_for"]


class Price(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt: float = Field(ge=0)
    completion: float = Field(ge=0)


# List prices at the time of writing; override with `AgentConfig(prices=...)` or ENCORE_PRICES.
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o": Price(prompt=2.50, completion=10.00),
    "gpt-4o-mini": Price(prompt=0.15, completion=0.60),
    "gpt-4.1": Price(prompt=2.00, completion=8.00),
    "gpt-4.1-mini": Price(prompt=0.40, completion=1.60),
    "gpt-4.1-nano": Price(prompt=0.10, completion=0.40),
    "gpt-5": Price(prompt=1.25, completion=10.00),
    "gpt-5-mini": Price(prompt=0.25, completion=2.00),
    "gpt-5-nano": Price(prompt=0.05, completion=0.40),
}
"""US dollars per million tokens by model; override with AgentConfig(prices=...) or ENCORE_PRICES."""


def price_for(model: str, prices: dict[str, Price]) -> Price | None:
    """The entry for `model`, else for the longest key it starts with (dated snapshots share a price)."""
    if model in prices:
        return prices[model]
    matches = [key for key in prices if model.startswith(key)]
    return prices[max(matches, key=len)] if matches else None


class LLMCall(BaseModel):
    """One HTTP request to the model endpoint: a retry (after an invalid answer or a failed request) is a call of its own."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    purpose: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = Field(None, description="None when the model has no entry in the price table.")
    ok: bool = Field(True, description="False when the endpoint answered with an error status, or not at all.")
    error: str | None = Field(None, description="The HTTP status and the endpoint's message, for a failed call.")


class Usage(BaseModel):
    """The calls of one run (or block, or step), with totals."""

    model_config = ConfigDict(extra="forbid")

    calls: list[LLMCall] = Field(default_factory=list)

    @property
    def llm_calls(self) -> int:
        """Every request sent to the endpoint, failed ones included."""
        return len(self.calls)

    @property
    def failed_calls(self) -> int:
        """Requests the endpoint answered with an error status, or never answered."""
        return sum(1 for c in self.calls if not c.ok)

    @property
    def prompt_tokens(self) -> int:
        """Prompt tokens as the endpoint reported them."""
        return sum(c.prompt_tokens for c in self.calls)

    @property
    def completion_tokens(self) -> int:
        """Completion tokens as the endpoint reported them."""
        return sum(c.completion_tokens for c in self.calls)

    @property
    def cost_usd(self) -> float | None:
        """Total cost; None when any call's model was not in the price table (a partial sum would mislead)."""
        if any(c.cost_usd is None for c in self.calls):
            return None
        return round(sum(c.cost_usd or 0.0 for c in self.calls), 6)

    def record(
        self,
        purpose: str,
        model: str,
        prompt_tokens: int,
        completion_tokens: int,
        prices: dict[str, Price],
        *,
        error: str | None = None,
    ) -> LLMCall:
        """Account one request; a failed one (`error`) costs what its reported tokens cost, usually nothing."""
        price = price_for(model, prices)
        cost = None if price is None else (prompt_tokens * price.prompt + completion_tokens * price.completion) / 1e6
        call = LLMCall(
            purpose=purpose,
            model=model,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            cost_usd=None if cost is None else round(cost, 8),
            ok=error is None,
            error=error,
        )
        self.calls.append(call)
        return call

    def since(self, mark: int) -> Usage:
        """The calls made after `len(self.calls)` was `mark`."""
        return Usage(calls=self.calls[mark:])

    def merge(self, other: Usage) -> None:
        """Append `other`'s calls to these."""
        self.calls.extend(other.calls)

    def summary(self) -> dict[str, object]:
        """The totals as a plain dict."""
        return {
            "llm_calls": self.llm_calls,
            "failed_llm_calls": self.failed_calls,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": self.cost_usd,
        }
