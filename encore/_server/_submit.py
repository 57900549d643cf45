"""`POST /v1/runs`: the workflow (stored, inline, or a task), its parameters checked, secrets kept apart,
the run's row (and its webhook's) written, then the run handed to the worker."""

from __future__ import annotations

from dataclasses import dataclass

from agent import ConfigError

from .._api_models import RunCreate, ScheduleCreate
from .._cache import Cache
from .._params import Scalar, cache_key
from .._preflight import RunRefused, check_run
from .._runner import new_run_id, task_workflow
from .._store import CacheError, RunRecord
from .._templates import TemplateProblem
from .._workflow import Workflow, WorkflowError, parse_workflow
from ._checks import parse_definition, plain_params, refuse_secret_values
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
        return parse_definition(body.definition, ("body", "definition"))
    assert isinstance(body, RunCreate) and body.task is not None
    task = body.task
    try:
        return task_workflow(
            task.goal, task.url, body.params, sorted(body.secrets), output_schema=task.output_schema,
            task_id=task.task_id, cache_key=task.cache_key, max_steps=task.max_steps,
        )
    except WorkflowError as exc:
        raise field_error(("body", "task"), str(exc).removeprefix("task: ")) from None


def schedule_params(workflow: Workflow, params: dict[str, Scalar]) -> dict[str, Scalar]:
    return plain_params(workflow, params)


def prepare(state: ServerState, body: RunCreate) -> Prepared:
    workflow = resolve_workflow(state, body)
    values = plain_params(workflow, body.params)
    secret_names = {p.name for p in workflow.parameters if p.secret}
    unknown = sorted(set(body.secrets) - secret_names)
    if unknown:
        raise field_error(("body", "secrets", unknown[0]), f"is not a secret parameter of {workflow.id}")
    secrets = {name: value.get_secret_value() for name, value in body.secrets.items()}
    refuse_secret_values(secrets, body.model_dump(mode="json", exclude={"secrets"}))
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
    _preflight(state, workflow, key, body.run_with)
    record = state.store.runs.create(
        new_run_id(), workflow.id, values, definition=workflow.model_dump(mode="json", by_alias=True, exclude_none=True), run_with=body.run_with, cache_key=key,
    )
    assert record is not None
    state.dispatcher.assign(record.id)
    if body.webhook_url is not None:
        state.deliveries.add(record.id, body.webhook_url)
    return record



def _preflight(state: ServerState, workflow: Workflow, key: str, run_with: str) -> None:
    """Refuse, as the CLI does before a browser starts, a run that cannot work: code_only with nothing cached
    (the store is shared, so this holds for any worker), or, when this server runs the runs itself, a run that
    needs the model with no model endpoint configured here (separate workers have their own settings)."""
    if run_with != "code_only" and not state.dispatcher.accepts_secrets:
        return
    try:
        check_run(workflow, Cache(state.store), key, run_with, None)
    except (RunRefused, ConfigError) as exc:
        raise field_error(("body", "run_with"), f"is {run_with!r}, but {exc}") from None
