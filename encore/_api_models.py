"""The HTTP API's request and response bodies, shared by `encore serve` and `encore.Client`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

__all__ = [
    "RUN_STATUSES",
    "BlockInfo",
    "Repair",
    "RunArtefacts",
    "RunCreate",
    "RunInfo",
    "RunPage",
    "RunStatus",
    "ScheduleCreate",
    "ScheduleInfo",
    "ScheduleUpdate",
    "TaskSpec",
    "VersionDiff",
    "VersionInfo",
    "WebhookInfo",
    "WorkflowInfo",
]

RunStatus = Literal["queued", "running", "completed", "failed", "terminated", "timed_out", "canceled"]
RUN_STATUSES: tuple[str, ...] = RunStatus.__args__  # type: ignore[attr-defined]
RunWith = Literal["code", "agent", "code_only"]
"""code: cached code first, healed or recorded by the model; agent: always the agent; code_only: cached code
only, never a model call (a divergence fails the block, nothing cached is refused up front)."""


def _scalar(value: Any) -> str | int | float | bool:
    if not isinstance(value, (str, int, float, bool)):
        raise ValueError("a parameter value is a string, a number or a boolean")  # noqa: TRY004 - pydantic wants ValueError
    return value


# One error per bad value ("a string, a number or a boolean"), not one per member of a union.
Scalar = Annotated[Any, AfterValidator(_scalar), WithJsonSchema({"type": ["string", "number", "boolean"]})]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _http_url(value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise ValueError("an http:// or https:// URL")
    return value


class TaskSpec(_Body):
    """A goal on a start page, run as a one-block workflow (cached like `encore run-task`)."""

    goal: str = Field(min_length=1, max_length=4000)
    url: str = Field(min_length=1, max_length=2000)
    output_schema: dict[str, Any] | None = Field(None, description="JSON schema of the data to extract.")
    task_id: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", description="Cache entry name.")
    cache_key: str = ""
    max_steps: int | None = Field(None, gt=0, le=500)

    _url = field_validator("url")(lambda cls, value: _http_url(value))


class RunCreate(_Body):
    """Start a run: a stored workflow (by id), an inline workflow definition, or an inline task."""

    workflow: str | None = Field(None, description="The id of a stored workflow (PUT /v1/workflows/{id}).")
    definition: dict[str, Any] | None = Field(None, description="An inline workflow definition.")
    task: TaskSpec | None = None
    params: dict[str, Scalar] = Field(default_factory=dict, description="Plain parameters (stored with the run).")
    secrets: dict[str, SecretStr] = Field(
        default_factory=dict,
        description="Secret parameters: held in memory for the run only, never stored, redacted everywhere. "
        "Accepted only by a server with an in-process worker; separate workers read secrets from their "
        "environment (ENCORE_PARAM_<NAME>) or the workflow's secret references.",
    )
    run_with: RunWith = "code"
    webhook_url: str | None = Field(None, max_length=2000, description="POSTed the run once it is final, signed.")

    _webhook = field_validator("webhook_url")(lambda cls, value: _http_url(value))

    @model_validator(mode="after")
    def _one_source(self) -> RunCreate:
        given = [name for name in ("workflow", "definition", "task") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `workflow`, `definition` or `task`")
        return self


class BlockInfo(BaseModel):
    label: str
    kind: str
    branch: str = ""
    mode: str
    ok: bool
    version: int | None = None
    new_version: int | None = None
    llm_calls: int = 0
    seconds: float = 0.0
    message: str = ""
    heal_loop: bool = False


class Repair(BaseModel):
    """What healing changed in one block: the version it started from, the one it stored, and how."""

    block: str
    branch: str = ""
    how: Literal["healed_element", "healed_block"]
    from_version: int | None = None
    to_version: int | None = None
    detail: str = ""


class RunArtefacts(BaseModel):
    """API paths of the run's files (served when this server can read the worker's runs directory)."""

    report: str | None = None
    trace: str | None = None
    result: str | None = None
    host: str | None = Field(default=None, description="The host whose runs directory holds them.")


class WebhookInfo(BaseModel):
    id: str
    state: Literal["waiting", "pending", "delivered", "failed"]
    attempts: int
    last_status: int | None = None
    last_error: str = ""
    delivered_at: datetime | None = None


class RunInfo(BaseModel):
    id: str
    workflow: str
    status: RunStatus
    final: bool
    reason: str = Field("", description="Why it failed, was terminated, timed out or was canceled.")
    run_with: RunWith = "code"
    cache_key: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    healed: bool = False
    repairs: list[Repair] = Field(default_factory=list)
    blocks: list[BlockInfo] = Field(default_factory=list)
    outputs: dict[str, Any] = Field(default_factory=dict)
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = 0.0
    queued_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = 0
    worker: str = ""
    schedule_id: int | None = None
    cancel_requested: bool = False
    artefacts: RunArtefacts = Field(default_factory=lambda: RunArtefacts())
    webhooks: list[WebhookInfo] = Field(default_factory=list)


class RunPage(BaseModel):
    runs: list[RunInfo]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page; null on the last.")


class VersionInfo(BaseModel):
    id: int
    workflow: str
    cache_key: str
    block: str
    branch: str = ""
    version: int
    origin: str
    pinned: bool
    sha256: str
    run_id: str
    created: datetime
    note: str = ""
    parent: int | None = None
    script: str | None = Field(None, description="The generated script (on GET of one version).")


class VersionDiff(BaseModel):
    from_id: int | None = Field(description="The older version; null when diffed against nothing.")
    to_id: int
    diff: str = Field(description="Unified diff of the two scripts.")


class ScheduleCreate(_Body):
    cron: str = Field(min_length=1, max_length=200, description="Five fields: minute hour day month weekday.")
    timezone: str = "UTC"
    workflow: str | None = Field(None, description="The id of a stored workflow.")
    definition: dict[str, Any] | None = Field(None, description="An inline workflow definition.")
    params: dict[str, Scalar] = Field(default_factory=dict)
    run_with: RunWith = "code"

    @model_validator(mode="after")
    def _one_source(self) -> ScheduleCreate:
        if (self.workflow is None) == (self.definition is None):
            raise ValueError("give exactly one of `workflow` or `definition`")
        return self


class ScheduleUpdate(_Body):
    cron: str | None = Field(None, min_length=1, max_length=200)
    timezone: str | None = None
    params: dict[str, Scalar] | None = None
    run_with: RunWith | None = None
    paused: bool | None = None


class ScheduleInfo(BaseModel):
    id: int
    cron: str
    timezone: str
    workflow: str
    params: dict[str, Any]
    run_with: RunWith
    paused: bool
    created: datetime
    next_fire_at: datetime
    last_fired_at: datetime | None = None
    last_run_id: str | None = None


class WorkflowInfo(BaseModel):
    id: str
    title: str = ""
    parameters: list[dict[str, Any]] = Field(default_factory=list)
    definition: dict[str, Any]
    created: datetime
    updated: datetime
