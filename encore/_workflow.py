"""Workflow definitions (YAML or JSON): parameters and a tree of blocks, validated before anything runs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tracer import Parameter, ShapeError, check_shape, number_problem, validation_problems

from ._templates import TemplateProblem, check_expression, check_template

__all__ = [
    "CACHED_KINDS",
    "Block",
    "CodeBlock",
    "ConditionalBlock",
    "ExtractionBlock",
    "ForLoopBlock",
    "GotoBlock",
    "LoginBlock",
    "TaskBlock",
    "WaitBlock",
    "Workflow",
    "WorkflowError",
    "load_workflow",
    "parse_workflow",
]

# Blocks whose work is recorded and replayed from code; the others always run live.
CACHED_KINDS = frozenset({"task", "navigation", "action", "extraction", "login"})
_LABEL = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")


class WorkflowError(ValueError):
    """The definition is unusable; the message names the file and the field."""


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    label: str

    @field_validator("label")
    @classmethod
    def _label_shape(cls, value: str) -> str:
        if not _LABEL.match(value):
            raise ValueError("a label starts with a letter and holds letters, digits, '_', '.', '-' (at most 64)")
        return value


class TaskBlock(_Block):
    """The agent works towards `goal` (cached as code after the first success)."""

    kind: Literal["task", "navigation", "action"]
    goal: str = Field(min_length=1)
    url: str | None = None
    max_steps: int | None = Field(None, gt=0)


class ExtractionBlock(_Block):
    kind: Literal["extraction"]
    goal: str = Field(min_length=1)
    json_schema: dict[str, Any] = Field(alias="schema")
    output: str | None = Field(None, description="Name of the output; the label when absent.")
    url: str | None = None
    max_steps: int | None = Field(None, gt=0)

    @property
    def output_name(self) -> str:
        return self.output or self.label


class LoginBlock(_Block):
    kind: Literal["login"]
    url: str | None = None
    username: str = Field(description="Parameter holding the user name.")
    password: str = Field(description="Secret parameter holding the password.")
    goal: str | None = None
    max_steps: int | None = Field(None, gt=0)


class GotoBlock(_Block):
    kind: Literal["goto"]
    url: str = Field(min_length=1)


class WaitBlock(_Block):
    kind: Literal["wait"]
    seconds: float = Field(0, ge=0, le=3600)
    url: str | None = Field(None, description="Wait until the URL matches this pattern.")
    text: str | None = Field(None, description="Wait until this text is visible.")
    timeout_s: float = Field(30, gt=0)


class CodeBlock(_Block):
    """A Python snippet run live with `page`, `params`, `secrets` and `outputs` in scope; may use `await`."""

    kind: Literal["code"]
    code: str = Field(min_length=1)


class ConditionalBlock(_Block):
    """Runs `then` or `else`: by an expression over params and outputs, or a yes/no question to the model."""

    kind: Literal["conditional"]
    condition: str | None = Field(None, alias="if")
    question: str | None = None
    then: list[Block] = Field(default_factory=list)
    otherwise: list[Block] = Field(default_factory=list, alias="else")

    @model_validator(mode="after")
    def _one_test(self) -> ConditionalBlock:
        if (self.condition is None) == (self.question is None):
            raise ValueError("a conditional needs exactly one of `if` (an expression) or `question`")
        return self


class ForLoopBlock(_Block):
    """Runs `blocks` once per item of `over` (an expression); the item is a parameter named `item`."""

    kind: Literal["for_loop"]
    over: str = Field(min_length=1)
    item: str = Field("item", pattern=r"^[a-z][a-z0-9_]*$")
    blocks: list[Block] = Field(min_length=1)


Block = Annotated[
    TaskBlock | ExtractionBlock | LoginBlock | GotoBlock | WaitBlock | CodeBlock | ConditionalBlock | ForLoopBlock,
    Field(discriminator="kind"),
]

ConditionalBlock.model_rebuild()
ForLoopBlock.model_rebuild()


class Workflow(BaseModel):
    """A workflow definition: parameters, a cache key template and a tree of blocks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
    title: str = ""
    cache_key: str = Field("", description="A template over the parameters, e.g. '{{ site }}'.")
    settle_timeout: float | None = Field(
        None, gt=0, le=300, description="Seconds a replay may wait for a missing element while the page is busy."
    )
    parameters: list[Parameter] = Field(default_factory=list)
    blocks: list[Block] = Field(min_length=1)
    # Scale-out (issue 15): where a worker finds a secret parameter when ENCORE_PARAM_<NAME> is not set.
    secrets: dict[str, str] = Field(
        default_factory=dict,
        description="Secret parameter -> a reference a worker resolves: 'env:VARIABLE' or 'file:/path' (never a value).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Workflow:
        seen: set[str] = set()
        names = {p.name: p for p in self.parameters}
        for block in walk(self.blocks):
            if block.label in seen:
                raise ValueError(f"block label {block.label!r} is used twice; labels name cache entries")
            seen.add(block.label)
            if isinstance(block, LoginBlock):
                for role, name in (("username", block.username), ("password", block.password)):
                    if name not in names:
                        raise ValueError(f"block {block.label!r}: {role} parameter {name!r} is not declared")
                if not names[block.password].secret:
                    raise ValueError(f"block {block.label!r}: password parameter {block.password!r} must be secret")
            _check_templates(block)
        try:
            check_template(self.cache_key, "cache_key")
        except TemplateProblem as exc:
            raise ValueError(str(exc)) from None
        for name, reference in self.secrets.items():
            if name not in names or not names[name].secret:
                raise ValueError(f"secrets.{name}: not a declared secret parameter")
            if not reference.startswith(("env:", "file:")) or len(reference) < 5:
                raise ValueError(f"secrets.{name}: a reference is 'env:VARIABLE' or 'file:/path', not a value")
        return self


def _check_templates(block: Any) -> None:
    """Every template and expression of the block parses and uses only what workflow templates offer."""
    try:
        for name in ("goal", "url", "text", "question"):
            value = getattr(block, name, None)
            if isinstance(value, str):
                check_template(value, f"block {block.label!r}: {name}")
        for name, shown in (("condition", "if"), ("over", "over")):
            value = getattr(block, name, None)
            if isinstance(value, str):
                check_expression(value, f"block {block.label!r}: {shown}")
    except TemplateProblem as exc:
        raise ValueError(str(exc)) from None


def walk(blocks: list[Any]) -> list[Any]:
    """Every block of the tree, depth first."""
    out: list[Any] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, ConditionalBlock):
            out += walk(block.then) + walk(block.otherwise)
        elif isinstance(block, ForLoopBlock):
            out += walk(block.blocks)
    return out


def parse_workflow(data: Any, source: str = "<workflow>") -> Workflow:
    """A workflow from parsed data; WorkflowError names the field."""
    try:
        check_shape(data, source)  # before validation walks it: YAML aliases can expand a page into gigabytes
    except ShapeError as exc:
        raise WorkflowError(str(exc)) from None
    try:
        return Workflow.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(validation_problems(exc))
        raise WorkflowError(f"{source}: invalid workflow: {problems}") from None


def load_workflow(path: str | Path) -> Workflow:
    """A workflow from a YAML or JSON file; WorkflowError names the file and the field."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorkflowError(f"{file}: cannot read: {exc.strerror}") from None
    kind = "JSON" if file.suffix == ".json" else "YAML"
    try:
        data = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise WorkflowError(f"{file}: not valid {kind}: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise WorkflowError(f"{file}: not usable {kind}: nested too deeply") from None
    except ValueError as exc:  # an integer of more than 4300 digits
        raise WorkflowError(f"{file}: not usable {kind}: {number_problem(exc)}") from None
    return parse_workflow(data, str(file))
