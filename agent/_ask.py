"""Yes/no questions about the live page, for workflow conditionals decided by the model."""

from __future__ import annotations

from playwright.async_api import Page

from ._config import AgentConfig
from ._decision import Answer
from ._llm import LLM
from ._observe import observe
from ._prompts import QUESTION_PROMPT, redact, redactor

__all__ = ["ask_page"]


async def ask_page(
    page: Page, question: str, *, config: AgentConfig | None = None, llm: LLM | None = None, secrets: dict[str, str] | None = None
) -> Answer:
    """A yes/no answer, with its reason, to a question about the live page."""
    config = config or AgentConfig.from_env()
    llm = llm or LLM(config)
    observation = await observe(page, limit=config.max_elements, redactor=redactor(secrets or {}))
    text = f"Question: {question}\n\nCurrent page:\n{observation.render()}"
    messages = [{"role": "system", "content": QUESTION_PROMPT}, {"role": "user", "content": redact(text, secrets or {})}]
    return await llm.ask("question", messages, Answer)
