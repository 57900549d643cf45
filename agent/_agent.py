"""The agent loop: observe the page, ask the model for one action, perform it through the recorder."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urljoin

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Page
from pydantic import BaseModel, ConfigDict, Field

from tracer import ExtractAction, ParamRef, Recorder, RecorderError, SecretRef, Trace, origin_of

from ._accounting import Usage
from ._config import AgentConfig
from ._decision import (
    Click,
    Complete,
    Decision,
    Download,
    Extract,
    Fill,
    Goto,
    Hover,
    Press,
    Scroll,
    SelectOption,
    SetChecked,
    Terminate,
)
from ._extraction import ExtractionError, cell_selector, read_back
from ._llm import LLM, LLMError
from ._observe import Observation, observe
from ._prompts import SYSTEM_PROMPT, redact, redactor

__all__ = ["Agent", "AgentResult", "StepOutcome", "Task"]

log = logging.getLogger("encore.agent")

Scalar = str | int | float | bool


@dataclass
class Task:
    """What the agent is asked to do. Secret values are typed into the page but never shown to the model."""

    goal: str
    params: dict[str, Scalar] = field(default_factory=dict)
    secrets: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # output name -> JSON schema
    secret_origins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Secret name -> the origins it may be typed on; a secret not listed may be typed anywhere."""


class StepOutcome(BaseModel):
    """One step the agent took: what it meant, which action, and how it went."""

    model_config = ConfigDict(extra="forbid")

    number: int
    intention: str
    action: str
    ok: bool
    error: str | None = None
    note: str | None = None
    url: str = ""
    seconds: float = 0.0
    step_id: str | None = Field(None, description="The id of the step the recorder traced for it, if it recorded one.")


class AgentResult(BaseModel):
    """How the agent's run ended, its steps, outputs, model use and the recorded trace."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    status: Literal["completed", "terminated", "max_steps", "failed"]
    message: str = ""
    steps: list[StepOutcome] = Field(default_factory=list)
    outputs: dict[str, Any] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0
    trace: Trace | None = None

    @property
    def ok(self) -> bool:
        """The agent completed the task."""
        return self.status == "completed"


class _StepFailed(Exception):
    """An action the model chose could not be carried out; the message goes back to the model."""


class Agent:
    """Solves one task on a page. With `recorder`, it records into an existing trace (one block of a workflow)."""

    def __init__(
        self,
        page: Page,
        task: Task,
        *,
        config: AgentConfig | None = None,
        llm: LLM | None = None,
        recorder: Recorder | None = None,
        trace_id: str = "task",
        block: str = "task",
        on_step: Callable[[StepOutcome], None] | None = None,
    ) -> None:
        self.task = task
        self.on_step = on_step
        self.config = config or AgentConfig.from_env()
        self.llm = llm or LLM(self.config)
        self.recorder = recorder or Recorder(
            page, trace_id=trace_id, title=task.goal[:200], params=task.params, secrets=task.secrets, block=block
        )
        self.outputs: dict[str, Any] = {}
        self.history: list[StepOutcome] = []
        self._step_started = time.perf_counter()
        self._recorded_before = 0

    @property
    def page(self) -> Page:
        """The page the agent acts on (it follows a click that opens a tab)."""
        return self.recorder.page  # a click that opens a tab moves the recorder, and the agent with it

    async def run(self, max_steps: int | None = None) -> AgentResult:
        """Work on the task until complete, terminate, `max_steps` or too many failures in a row."""
        started = time.perf_counter()
        mark = self.llm.usage.llm_calls
        status, message = await self._loop(max_steps or self.config.max_steps)
        trace: Trace | None = None
        if self.recorder.steps:
            trace = self.recorder.trace()
        return AgentResult(
            status=status,
            message=self._redact(message),
            steps=self.history,
            outputs=self.outputs,
            usage=self.llm.usage.since(mark),
            seconds=round(time.perf_counter() - started, 3),
            trace=trace,
        )

    async def _loop(self, max_steps: int) -> tuple[Literal["completed", "terminated", "max_steps", "failed"], str]:
        failures = 0
        for number in range(1, max_steps + 1):
            self._step_started = time.perf_counter()
            self._recorded_before = len(self.recorder.steps)
            observation = await observe(
                self.page, limit=self.config.max_elements, screenshot=self.config.sees_images,
                redactor=redactor(self.task.secrets),
            )
            try:
                decision = await self.llm.ask("decide", self._messages(observation), Decision, self._context(observation))
            except LLMError as exc:
                failures += 1
                self._note(number, "(no valid answer)", "none", error=str(exc))
                if failures >= self.config.max_failures:
                    return "failed", f"{failures} failed steps in a row; last: {exc}"
                continue
            action = decision.action
            log.info("step %d: %s (%s)", number, self._redact(decision.intention), action.kind)
            if isinstance(action, Terminate):
                self._note(number, decision.intention, action.kind)
                return "terminated", action.reason
            try:
                note = await self._perform(decision, observation)
            except (_StepFailed, ExtractionError, RecorderError, PlaywrightError) as exc:
                failures += 1
                self._note(number, decision.intention, action.kind, error=_first_line(exc))
                if failures >= self.config.max_failures:
                    return "failed", f"{failures} failed steps in a row; last: {_first_line(exc)}"
                continue
            failures = 0
            self._note(number, decision.intention, action.kind, note=note)
            if isinstance(action, Complete):
                return "completed", action.summary
        return "max_steps", f"the goal was not reached within {max_steps} steps"

    # --- asking ---------------------------------------------------------------

    def _messages(self, observation: Observation) -> list[dict[str, Any]]:
        text = "\n\n".join(
            [
                f"Goal: {self.task.goal}",
                self._parameters_text(),
                self._outputs_text(),
                self._history_text(),
                "Current page:\n" + observation.render(),
            ]
        )
        user: Any = self._redact(text)
        if observation.screenshot is not None:
            user = [
                {"type": "text", "text": user},
                {"type": "image_url", "image_url": {"url": observation.screenshot_url(), "detail": "low"}},
            ]
        return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}]

    def _context(self, observation: Observation) -> dict[str, Any]:
        parameters = {name: False for name in self.task.params} | {name: True for name in self.task.secrets}
        return {"elements": observation.numbers(), "parameters": parameters, "outputs": self.task.outputs}

    def _parameters_text(self) -> str:
        lines = [f"- {name} = {json.dumps(value)}" for name, value in sorted(self.task.params.items())]
        lines += [f"- {name} (secret: its value is hidden; type it with fill + parameter)" for name in sorted(self.task.secrets)]
        return "Parameters (refer to them by name with `parameter`):\n" + ("\n".join(lines) if lines else "(none)")

    def _outputs_text(self) -> str:
        if not self.task.outputs:
            return "Outputs: none required."
        lines = []
        for name, schema in sorted(self.task.outputs.items()):
            done = " (extracted)" if name in self.outputs else ""
            lines.append(f"- {name}{done}: {json.dumps(schema, sort_keys=True)}")
        return "Outputs to extract before completing:\n" + "\n".join(lines)

    def _history_text(self) -> str:
        if not self.history:
            return "Steps so far: none."
        lines = []
        for step in self.history[-25:]:
            outcome = "ok" if step.ok else f"FAILED: {step.error}"
            extra = f" ({step.note})" if step.note else ""
            lines.append(f"{step.number}. {step.intention} [{step.action}] -> {outcome}{extra}")
        return "Steps so far:\n" + "\n".join(lines)

    def _note(self, number: int, intention: str, action: str, *, error: str | None = None, note: str | None = None) -> None:
        recorded = self.recorder.steps
        self.history.append(
            StepOutcome(
                number=number,
                intention=self._redact(intention),
                action=action,
                ok=error is None,
                error=None if error is None else self._redact(error),
                note=None if note is None else self._redact(note),
                url=self._redact(self.page.url),
                seconds=round(time.perf_counter() - self._step_started, 3),
                step_id=recorded[-1].id if error is None and len(recorded) > self._recorded_before else None,
            )
        )
        if self.on_step is not None:
            self.on_step(self.history[-1])

    def _redact(self, text: str) -> str:
        return redact(text, self.task.secrets)

    # --- doing ----------------------------------------------------------------

    async def _perform(self, decision: Decision, observation: Observation) -> str | None:
        # The intention becomes a comment in cached code: whatever the model wrote, no secret goes there.
        action, intention, rec = decision.action, self._redact(decision.intention), self.recorder

        def element(number: int) -> Any:
            return observation.element(number).handle

        if isinstance(action, Click):
            await rec.click(element(action.element), intention, click_count=2 if action.double else 1)
        elif isinstance(action, Fill):
            value = self._value(action.text, action.parameter)
            if isinstance(value, SecretRef):
                await self._check_origin(value.name, element(action.element))
            await rec.fill(element(action.element), value, intention)
        elif isinstance(action, SelectOption):
            await self._select(element(action.element), self._value(action.option, action.parameter), intention)
        elif isinstance(action, SetChecked):
            await rec.set_checked(element(action.element), action.checked, intention)
        elif isinstance(action, Press):
            await rec.press(None if action.element is None else element(action.element), action.key, intention)
        elif isinstance(action, Hover):
            await rec.hover(element(action.element), intention)
        elif isinstance(action, Scroll):
            height = (self.page.viewport_size or {"height": 800})["height"]
            delta = int(height * 0.8) * (1 if action.direction == "down" else -1)
            target = None if action.element is None else element(action.element)
            await rec.scroll(target, intention, delta_y=0 if target is not None else delta)
        elif isinstance(action, Goto):
            url = self._value(action.url, action.parameter)
            await rec.goto(urljoin(self.page.url, url) if isinstance(url, str) else url, intention)
        elif isinstance(action, Download):
            path = await rec.download(element(action.element), intention)
            return f"downloaded {path.name}"
        elif isinstance(action, Extract):
            return await self._extract(action, intention, observation)
        elif isinstance(action, Complete):
            missing = sorted(set(self.task.outputs) - set(self.outputs))
            if missing:
                raise _StepFailed(f"cannot complete yet: extract the outputs {missing} first")
            await rec.complete(intention, action.summary)
        return None

    def _value(self, literal: str | None, parameter: str | None) -> str | ParamRef | SecretRef:
        """A parameter reference where the model named one, or where its literal equals a parameter's value.

        Recognising a typed value as a parameter is what makes the cached script reusable with other
        values; recognising a secret keeps it out of the trace even when the model guessed it.
        """
        if parameter is not None:
            return SecretRef(name=parameter) if parameter in self.task.secrets else ParamRef(name=parameter)
        assert literal is not None  # the response model guarantees one of the two
        for name, value in sorted(self.task.secrets.items()):
            if literal == value:
                return SecretRef(name=name)
        for name, value in sorted(self.task.params.items()):
            if literal == str(value):
                return ParamRef(name=name)
        return literal

    async def _check_origin(self, name: str, handle: Any) -> None:
        """A secret is typed only on its own origins: another site asking for it is refused, not served."""
        allowed = self.task.secret_origins.get(name)
        if allowed is None:
            return
        frame = await handle.owner_frame()
        here = origin_of(frame.url if frame is not None else self.page.url)
        if here not in allowed:
            raise _StepFailed(
                f"refused: the secret {name!r} may only be typed on {', '.join(sorted(allowed)) or 'no site'},"
                f" and this field is on {here or 'a page without an origin'}"
            )

    async def _select(self, handle: Any, value: str | ParamRef | SecretRef, intention: str) -> None:
        try:
            await self.recorder.select_option(handle, [value], intention, by="label")
        except PlaywrightError:
            # Models often answer with the option's value rather than its label.
            await self.recorder.select_option(handle, [value], intention, by="value")

    async def _extract(self, action: Extract, intention: str, observation: Observation) -> str:
        fields: dict[str, dict[str, Any]] = {}
        for item in action.fields:
            row = observation.element(item.element).handle
            columns: dict[str, str] = {}
            for column, number in item.columns.items():
                selector = await cell_selector(row, observation.element(number).handle)
                if selector is None:
                    raise _StepFailed(f"field {item.name!r}: cell [{number}] is not inside row [{item.element}]")
                columns[column] = selector
            fields[item.name] = {"target": row, "many": item.many, "attribute": item.attribute, "columns": columns}
        schema = self.task.outputs.get(action.output, {"type": "object"})
        await self.recorder.extract(action.output, fields, intention, json_schema=schema)
        recorded = self.recorder.steps[-1].action
        assert isinstance(recorded, ExtractAction)
        try:
            data = await read_back(self.page, recorded)
        except ExtractionError:
            self.recorder.undo()  # a step that cannot reproduce its data must not be cached
            raise
        self.outputs[action.output] = data
        claimed = {item.name: item.value for item in action.fields if item.value is not None}
        differs = sorted(name for name, value in claimed.items() if str(value) != str(data.get(name)))
        page_says = json.dumps(data, ensure_ascii=False, default=str)[:400]
        if differs:
            return f"the page gives {page_says}; this differs from what you read for {differs}"
        return f"extracted {page_says}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:500]
