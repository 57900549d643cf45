"""Agent: an LLM on any OpenAI-compatible endpoint decides browser actions; the recorder traces them."""

from ._accounting import DEFAULT_PRICES, LLMCall, Price, Usage, price_for
from ._agent import Agent, AgentResult, StepOutcome, Task
from ._ask import ask_page
from ._config import AgentConfig, ConfigError
from ._decision import Answer, Decision, LocateAnswer
from ._llm import LLM, LLMError
from ._locate import LocateResult, locate
from ._observe import Element, Observation, observe
from ._prompts import redact

__all__ = [
    "DEFAULT_PRICES",
    "LLM",
    "Agent",
    "AgentConfig",
    "AgentResult",
    "Answer",
    "ConfigError",
    "Decision",
    "Element",
    "LLMCall",
    "LLMError",
    "LocateAnswer",
    "LocateResult",
    "Observation",
    "Price",
    "StepOutcome",
    "Task",
    "Usage",
    "ask_page",
    "locate",
    "observe",
    "price_for",
    "redact",
]
