"""`/v1/workflows`: workflow definitions stored under their id, to run (`POST /v1/runs {"workflow": id}`) or schedule."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from .._api_models import WorkflowInfo
from .._store import CacheError
from ._checks import parse_definition
from ._problems import Problem, field_error
from ._state import state_of
from ._views import workflow_info

__all__ = ["router"]

router = APIRouter(prefix="/v1/workflows", tags=["workflows"])


def _stored(request: Request, workflow_id: str) -> dict[str, Any]:
    try:
        return state_of(request).workflows.row(workflow_id)
    except CacheError as exc:
        raise Problem(404, str(exc)) from None


@router.put("/{workflow_id}", response_model=WorkflowInfo, summary="Store a workflow (created or replaced)")
def put(
    workflow_id: str, request: Request, response: Response,
    definition: Annotated[dict[str, Any], Body(description="The workflow definition (the YAML file, as JSON).")],
) -> WorkflowInfo:
    if definition.get("id", workflow_id) != workflow_id:
        raise field_error(("body", "id"), f"is {definition['id']!r}, but the URL names {workflow_id!r}")
    workflow = parse_definition({**definition, "id": workflow_id}, ("body",))
    created = state_of(request).workflows.put(workflow_id, workflow.model_dump(mode="json", by_alias=True, exclude_none=True))
    response.status_code = 201 if created else 200
    return workflow_info(_stored(request, workflow_id))


@router.get("", response_model=list[WorkflowInfo], summary="List stored workflows")
def list_workflows(request: Request) -> list[WorkflowInfo]:
    return [workflow_info(row) for row in state_of(request).workflows.list()]


@router.get("/{workflow_id}", response_model=WorkflowInfo, summary="One stored workflow")
def get(workflow_id: str, request: Request) -> WorkflowInfo:
    return workflow_info(_stored(request, workflow_id))


@router.delete("/{workflow_id}", status_code=204, summary="Remove a stored workflow (its cached versions stay)")
def remove(workflow_id: str, request: Request) -> Response:
    try:
        state_of(request).workflows.remove(workflow_id)
    except CacheError as exc:
        raise Problem(404, str(exc)) from None
    return Response(status_code=204)
