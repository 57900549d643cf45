"""`POST /v1/runs`: the workflow (stored, inline, or a task), its parameters checked, secrets kept apart,
the run's row (and its webhook's) written, then the run handed to the worker."""

from __future__ import annotations

from dataclasses import dataclass

from .._api_models import RunCreate, ScheduleCreate
from .._params import Scalar, bind, cache_key
from .._runner import new_run_id, task_workflow
from .._store import CacheError, RunRecord
from .._templates import TemplateProblem
from .._workflow import Workflow, WorkflowError, parse_workflow
from ._problems import field_error
from ._state import ServerState

__all__ = ["Prepared", "create_run", "prepare", "resolve_workflow", "schedule_params"]


@dataclass
class Prepared:
    workflow: Workflow
    values: dict[str, Scalar]
    secrets: dict[str, str]


def resolve_workflow(state: ServerState, body: RunCreate | ScheduleCreate) -> Workflow:
    """The workflow a request names: stored by id, inline, or (runs only) a task."""
    if body.workflow is not None:
        try:
            definition = state.workflows.get(body.workflow)
        except CacheError as exc:
            raise field_error(("body", "workflow"), f"{exc}; store it with PUT /v1/workflows/{{id}}") from None
        return parse_workflow(definition, f"stored workflow {body.workflow}")
    if body.definition is not None:
        try:
            return parse_workflow(body.definition, "definition")
        except WorkflowError as exc:
            raise field_error(("body", "definition"), str(exc).removeprefix("definition: ")) from None
    assert isinstance(body, RunCreate) and body.task is not None
    task = body.task
    try:
        return task_workflow(
            task.goal, task.url, body.params, sorted(body.secrets), output_schema=task.output_schema,
            task_id=task.task_id, cache_key=task.cache_key, max_steps=task.max_steps,
        )
    except WorkflowError as exc:
        raise field_error(("body", "task"), str(exc).removeprefix("task: ")) from None


def _plain(workflow: Workflow, params: dict[str, Scalar]) -> dict[str, Scalar]:
    """The plain parameters, typed and complete; a secret offered as a plain parameter is refused, unread."""
    secret_names = {p.name for p in workflow.parameters if p.secret}
    offered = sorted(secret_names & set(params))
    if offered:
        raise field_error(
            ("body", "params", offered[0]),
            "is a secret parameter: it is never stored with the run; send it in `secrets`, or set "
            f"ENCORE_PARAM_{offered[0].upper()} where the workers run",
        )
    try:
        values, _ = bind(workflow, {**params, **{name: "-" for name in secret_names}})
    except WorkflowError as exc:
        raise field_error(("body", "params"), str(exc)) from None
    return values


def schedule_params(workflow: Workflow, params: dict[str, Scalar]) -> dict[str, Scalar]:
    return _plain(workflow, params)


def prepare(state: ServerState, body: RunCreate) -> Prepared:
    workflow = resolve_workflow(state, body)
    values = _plain(workflow, body.params)
    secret_names = {p.name for p in workflow.parameters if p.secret}
    unknown = sorted(set(body.secrets) - secret_names)
    if unknown:
        raise field_error(("body", "secrets", unknown[0]), f"is not a secret parameter of {workflow.id}")
    secrets = {name: value.get_secret_value() for name, value in body.secrets.items()}
    if secrets and not state.dispatcher.accepts_secrets:
        raise field_error(
            ("body", "secrets"),
            "this server queues runs for separate workers, and secrets never travel through the queue: set "
            + ", ".join(f"ENCORE_PARAM_{name.upper()}" for name in sorted(secrets))
            + " on the workers, or name a reference in the workflow (`secrets: {name: 'env:VAR'}` or 'file:/path')",
        )
    if state.dispatcher.accepts_secrets:
        _check_secrets_reachable(workflow, set(secrets))
    return Prepared(workflow, values, secrets)


def _check_secrets_reachable(workflow: Workflow, given: set[str]) -> None:
    """With the in-process worker, a secret not given inline must be in this server's environment (or referenced)."""
    from ._in_process import env_secrets

    secret_names = {p.name for p in workflow.parameters if p.secret}
    for name in sorted(secret_names - given):
        try:
            env_secrets(workflow, secret_names - {name})
        except WorkflowError as exc:
            where = str(exc).split(": ", 2)[-1]
            raise field_error(
                ("body", "secrets", name), f"no value: send it in `secrets` (held in memory for the run only), or {where}"
            ) from None


def create_run(state: ServerState, prepared: Prepared, body: RunCreate) -> RunRecord:
    """The run's row (queued) and its webhook's, before the worker can see the run: a fast run cannot finish
    before its webhook is on record."""
    workflow, values = prepared.workflow, prepared.values
    try:
        key = cache_key(workflow, values)
    except TemplateProblem as exc:
        raise field_error(("body", "params"), f"the cache key cannot be rendered: {exc}") from None
    record = state.store.runs.create(
        new_run_id(), workflow.id, values, definition=workflow.model_dump(mode="json", by_alias=True, exclude_none=True), run_with=body.run_with, cache_key=key,
    )
    assert record is not None
    state.dispatcher.assign(record.id)
    if body.webhook_url is not None:
        state.deliveries.add(record.id, body.webhook_url)
    return record

