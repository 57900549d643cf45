"""A run's row in the store from its result: final status, per-block modes, model use, artefacts, the reason."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from ._result import RunResult

__all__ = ["artefacts", "final_status", "row_fields"]

# A failed run whose failing block ended in a terminate decision, rather than an error, is "terminated".
_TERMINATE_PREFIXES = ("agent terminated", "the recorded task terminates")


def final_status(result: RunResult) -> str:
    if result.status in ("succeeded", "healed"):
        return "completed"
    failing = next((b for b in result.blocks if not b.ok), None)
    if failing is not None and failing.message.startswith(_TERMINATE_PREFIXES):
        return "terminated"
    return "failed"


def artefacts(run_dir: Path, result: RunResult | None = None) -> dict[str, Any]:
    """Where this run's files are: on the host that ran it (workers keep them locally)."""
    found = {"host": socket.gethostname(), "dir": str(run_dir.resolve())}
    if result is not None:
        found["report"] = result.report
        found["result"] = str((run_dir / "result.json").resolve())
        found["trace"] = result.playwright_trace
    return found


def row_fields(result: RunResult, run_dir: Path) -> dict[str, Any]:
    """The store's run fields from an (already redacted) result."""
    return {
        "cache_key": result.cache_key,
        "healed": result.status == "healed",
        "blocks": [
            {
                "label": b.label, "kind": b.kind, "branch": b.branch, "mode": b.mode, "ok": b.ok,
                "version": b.version, "new_version": b.new_version, "llm_calls": b.llm_calls,
                "seconds": b.seconds, "message": b.message, "heal_loop": b.heal_loop,
            }
            for b in result.blocks
        ],
        "outputs": result.outputs,
        "llm_calls": result.llm_calls,
        "prompt_tokens": result.prompt_tokens,
        "completion_tokens": result.completion_tokens,
        "cost_usd": result.cost_usd,
        "artefacts": artefacts(run_dir, result),
        "reason": result.message,
    }
