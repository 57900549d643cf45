"""Element-level fallback: one model call finds the element a recorded step meant on the changed page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from playwright.async_api import ElementHandle, Page
from playwright.async_api import Error as PlaywrightError

from runtime import contradiction, score
from tracer import Fingerprint, page_script

from ._config import AgentConfig
from ._decision import LocateAnswer
from ._kin import kin
from ._llm import LLM
from ._observe import observe
from ._prompts import LOCATE_PROMPT, redact, redactor

__all__ = ["LocateResult", "locate"]

# The model's pick is taken only when it is confident and the element is plausibly the same kind of
# thing: same tag or same role, kin (a link that became a button, with the same name: see `_kin`), or
# a fingerprint score that says the rest of it matches.
MIN_CONFIDENCE = 0.5
MIN_SCORE_OTHER_KIND = 0.45


@dataclass
class LocateResult:
    """What `locate` found: the element (None when it was not accepted), the model's pick and confidence, why."""

    element: ElementHandle | None
    number: int | None
    confidence: float
    reason: str
    score: float | None = None
    live: dict[str, Any] | None = None

    @property
    def verified(self) -> bool:
        """An element was found and passed the checks."""
        return self.element is not None


async def locate(
    page: Page,
    intention: str,
    fingerprint: Fingerprint | None,
    *,
    config: AgentConfig | None = None,
    llm: LLM | None = None,
    secrets: dict[str, str] | None = None,
) -> LocateResult:
    """Ask once; return the verified element, or `element=None` with the reason it was not accepted."""
    config = config or AgentConfig.from_env()
    llm = llm or LLM(config)
    observation = await observe(page, limit=config.max_elements, redactor=redactor(secrets or {}))
    recorded = "(no fingerprint recorded)" if fingerprint is None else json.dumps(
        fingerprint.model_dump(exclude={"box", "templates"}, exclude_none=True), ensure_ascii=False, sort_keys=True
    )
    text = f"Recorded step: {intention}\nRecorded element: {recorded}\n\nCurrent page:\n{observation.render()}"
    messages = [
        {"role": "system", "content": LOCATE_PROMPT},
        {"role": "user", "content": redact(text, secrets or {})},
    ]
    answer = await llm.ask("locate", messages, LocateAnswer, {"elements": observation.numbers()})
    if answer.element is None:
        return LocateResult(None, None, answer.confidence, answer.reason or "the model found no matching element")
    handle = observation.element(answer.element).handle
    try:
        visible = await handle.is_visible()
        live = await handle.evaluate(page_script("fingerprint"))
    except PlaywrightError as exc:
        return LocateResult(None, answer.element, answer.confidence, f"the chosen element went away: {exc}")
    similarity = score(fingerprint, live) if fingerprint is not None else None
    result = LocateResult(handle, answer.element, answer.confidence, answer.reason, similarity, live)
    problem = _rejection(answer, fingerprint, live, visible, similarity, intention) or contradiction(fingerprint, intention, live)
    if problem:
        result.element = None
        result.reason = problem
    return result


def _rejection(
    answer: LocateAnswer,
    fingerprint: Fingerprint | None,
    live: dict[str, Any],
    visible: bool,
    similarity: float | None,
    intention: str = "",
) -> str | None:
    if not visible:
        return f"element [{answer.element}] is not visible"
    if answer.confidence < MIN_CONFIDENCE:
        return f"the model was not confident ({answer.confidence:.2f} < {MIN_CONFIDENCE})"
    if fingerprint is None:
        return None
    same_kind = live.get("tag") == fingerprint.tag or (fingerprint.role is not None and live.get("role") == fingerprint.role)
    if same_kind or kin(fingerprint, live, intention):
        return None
    if (similarity or 0.0) < MIN_SCORE_OTHER_KIND:
        return (
            f"element [{answer.element}] is a <{live.get('tag')}> ({live.get('role')}) where a <{fingerprint.tag}>"
            f" ({fingerprint.role}) was recorded, and its fingerprint score is {similarity}"
        )
    return None
