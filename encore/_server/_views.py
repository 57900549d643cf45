"""Store records as API bodies: a run with its repairs, artefact links and webhook state; versions; schedules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .._api_models import (
    BlockInfo,
    Repair,
    RunArtefacts,
    RunInfo,
    ScheduleInfo,
    VersionInfo,
    WebhookInfo,
    WorkflowInfo,
)
from .._store import RunRecord, ScheduleRecord, Version
from .._store._deliveries import Delivery

__all__ = ["moment", "repairs", "run_info", "schedule_info", "version_info", "workflow_info"]

_HEALED = ("healed_element", "healed_block")
_BLOCK_FIELDS = set(BlockInfo.model_fields)


def moment(stamp: float | None) -> datetime | None:
    return None if stamp is None else datetime.fromtimestamp(stamp, UTC)


def repairs(blocks: list[dict[str, Any]]) -> list[Repair]:
    """What healing changed, per block: element re-located or block re-recorded, and the versions involved."""
    return [
        Repair(block=b["label"], branch=b.get("branch", ""), how=b["mode"], from_version=b.get("version"),
               to_version=b.get("new_version"), detail=b.get("message", ""))
        for b in blocks
        if b.get("mode") in _HEALED
    ]


def _artefacts(record: RunRecord) -> RunArtefacts:
    found = record.artefacts or {}
    base = f"/v1/runs/{record.id}"
    return RunArtefacts(
        report=f"{base}/report" if found.get("report") else None,
        trace=f"{base}/trace.zip" if found.get("trace") else None,
        result=f"{base}/result.json" if found.get("result") else None,
        host=found.get("host"),
    )


def _webhook(delivery: Delivery) -> WebhookInfo:
    return WebhookInfo(
        id=delivery.id, state=delivery.state, attempts=delivery.attempts,  # type: ignore[arg-type]
        last_status=delivery.last_status, last_error=delivery.last_error, delivered_at=moment(delivery.delivered_at),
    )


def run_info(record: RunRecord, deliveries: list[Delivery] | None = None) -> RunInfo:
    return RunInfo(
        id=record.id, workflow=record.workflow, status=record.status, final=record.final,  # type: ignore[arg-type]
        reason=record.reason, run_with=record.run_with, cache_key=record.cache_key,  # type: ignore[arg-type]
        params=record.params, healed=record.healed, repairs=repairs(record.blocks),
        blocks=[BlockInfo(**{k: v for k, v in b.items() if k in _BLOCK_FIELDS}) for b in record.blocks],
        outputs=record.outputs, llm_calls=record.llm_calls, prompt_tokens=record.prompt_tokens,
        completion_tokens=record.completion_tokens, cost_usd=record.cost_usd,
        queued_at=moment(record.queued_at), started_at=moment(record.started_at),  # type: ignore[arg-type]
        finished_at=moment(record.finished_at), attempts=record.attempts, worker=record.worker,
        schedule_id=record.schedule_id, cancel_requested=record.cancel_requested, artefacts=_artefacts(record),
        webhooks=[_webhook(d) for d in deliveries or []],
    )


def version_info(version: Version, *, script: bool = False) -> VersionInfo:
    slot = version.slot
    return VersionInfo(
        id=version.id, workflow=slot.workflow, cache_key=slot.cache_key, block=slot.block, branch=slot.branch,
        version=version.version, origin=version.origin, pinned=version.pinned, sha256=version.sha256,
        run_id=version.run_id, created=moment(version.created),  # type: ignore[arg-type]
        note=version.note, parent=version.parent, script=version.script if script else None,
    )


def schedule_info(schedule: ScheduleRecord) -> ScheduleInfo:
    return ScheduleInfo(
        id=schedule.id, cron=schedule.cron, timezone=schedule.timezone, workflow=schedule.workflow,
        params=schedule.params, run_with=schedule.run_with, paused=schedule.paused,  # type: ignore[arg-type]
        created=moment(schedule.created), next_fire_at=moment(schedule.next_fire_at),  # type: ignore[arg-type]
        last_fired_at=moment(schedule.last_fired_at), last_run_id=schedule.last_run_id,
    )


def workflow_info(row: dict[str, Any]) -> WorkflowInfo:
    definition = row["definition"]
    return WorkflowInfo(
        id=row["id"], title=definition.get("title", ""), parameters=definition.get("parameters", []),
        definition=definition, created=moment(row["created"]), updated=moment(row["updated"]),  # type: ignore[arg-type]
    )
