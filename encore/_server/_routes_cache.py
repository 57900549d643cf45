"""`/v1/cache/versions`: every cached version of every block, a version's script and trace, diffs, pins."""

from __future__ import annotations

import difflib
import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from .._api_models import VersionDiff, VersionInfo
from .._store import CacheError, Version
from ._problems import Problem
from ._state import ServerState, state_of
from ._views import version_info

__all__ = ["diff_versions", "find_version", "previous_version", "router"]

router = APIRouter(prefix="/v1/cache/versions", tags=["cache"])


def find_version(state: ServerState, version_id: int) -> Version:
    try:
        return state.store.versions.get(version_id)
    except CacheError:
        raise Problem(404, f"no cached version with id {version_id}") from None


def previous_version(state: ServerState, version: Version) -> Version | None:
    """What a version replaced: the one it healed from, else the slot's version before it."""
    siblings = [v for v in state.store.versions.versions(version.slot.workflow, version.slot.block) if v.slot == version.slot]
    by_number = {v.version: v for v in siblings}
    if version.parent is not None and version.parent in by_number:
        return by_number[version.parent]
    earlier = [v for v in siblings if v.version < version.version]
    return earlier[-1] if earlier else None


def diff_versions(old: Version | None, new: Version) -> str:
    before = old.script.splitlines(keepends=True) if old else []
    label = f"{old.slot.describe()} v{old.version}" if old else "(nothing cached)"
    return "".join(difflib.unified_diff(before, new.script.splitlines(keepends=True), fromfile=label,
                                        tofile=f"{new.slot.describe()} v{new.version}"))


@router.get("", response_model=list[VersionInfo], summary="List cached versions (without scripts)")
def list_versions(request: Request, workflow: str | None = None, block: str | None = None) -> list[VersionInfo]:
    return [version_info(v) for v in state_of(request).store.versions.versions(workflow, block)]


@router.get("/{version_id}", response_model=VersionInfo, summary="One version, with its script")
def get_version(version_id: int, request: Request) -> VersionInfo:
    return version_info(find_version(state_of(request), version_id), script=True)


@router.get("/{version_id}/trace", summary="The version's trace (JSON IR)", responses={200: {"content": {"application/json": {}}}})
def get_trace(version_id: int, request: Request) -> Response:
    version = find_version(state_of(request), version_id)
    return Response(json.dumps(json.loads(version.trace_json), indent=2), media_type="application/json")


@router.get("/{version_id}/diff", response_model=VersionDiff, summary="Unified diff of two versions' scripts")
def diff(
    version_id: int, request: Request,
    against: Annotated[int | None, Query(description="The older version (default: the one this replaced).")] = None,
) -> VersionDiff:
    state = state_of(request)
    new = find_version(state, version_id)
    old = find_version(state, against) if against is not None else previous_version(state, new)
    return VersionDiff(from_id=old.id if old else None, to_id=new.id, diff=diff_versions(old, new))


@router.post("/{version_id}/pin", response_model=VersionInfo, summary="Pin: this version runs and is never regenerated")
def pin(version_id: int, request: Request) -> VersionInfo:
    state = state_of(request)
    find_version(state, version_id)
    return version_info(state.store.versions.pin(version_id, True))


@router.delete("/{version_id}/pin", response_model=VersionInfo, summary="Unpin")
def unpin(version_id: int, request: Request) -> VersionInfo:
    state = state_of(request)
    find_version(state, version_id)
    return version_info(state.store.versions.pin(version_id, False))


@router.delete("/{version_id}", status_code=204, summary="Remove a version")
def remove(version_id: int, request: Request) -> Response:
    state = state_of(request)
    find_version(state, version_id)
    state.store.versions.remove(version_id=version_id)
    return Response(status_code=204)
