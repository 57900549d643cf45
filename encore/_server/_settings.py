"""What `encore serve` is configured with, and where its webhook signing secret comes from."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .._store import StoreURL

__all__ = ["ServerSettings", "WorkerMode", "webhook_secret"]

WorkerMode = Literal["in-process", "queue"]


@dataclass(frozen=True)
class ServerSettings:
    """`worker=None` picks the embedded default: in-process on SQLite, the queue (separate workers) on PostgreSQL."""

    store: str
    host: str = "127.0.0.1"
    port: int = 8000
    worker: WorkerMode | None = None
    concurrency: int = 2
    processes: int = 1
    """Server processes on the port (PostgreSQL only: the in-process worker lives in one process)."""
    worker_nice: int = 10
    """In-process: how much lower the worker's CPU priority (and its browsers') is than the API's."""
    runs_dir: Path = Path(".encore/runs")
    deadline_s: float | None = None
    heal_wait_s: float = 600.0
    schedule_poll_s: float = 5.0
    webhook_secret_file: Path | None = None
    webhook_attempts: int = 8
    webhook_backoff_s: float = 2.0
    webhook_timeout_s: float = 10.0
    poll_s: float = 0.5
    key_cache_s: float = 0.0
    access_log: bool = True

    @property
    def worker_mode(self) -> WorkerMode:
        if self.worker is not None:
            return self.worker
        return "queue" if StoreURL(self.store).is_postgresql else "in-process"


def webhook_secret(settings: ServerSettings) -> tuple[str, str]:
    """The signing secret and where it came from: ENCORE_WEBHOOK_SECRET, else a file (made, mode 0600, when missing).

    Every server of one deployment must sign with the same secret: set the variable, or share the file.
    """
    from_env = os.environ.get("ENCORE_WEBHOOK_SECRET")
    if from_env:
        return from_env, "the environment variable ENCORE_WEBHOOK_SECRET"
    url = StoreURL(settings.store)
    path = settings.webhook_secret_file or (
        url.path.parent / "webhook-secret" if url.path is not None else Path(".encore/webhook-secret")
    )
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another server made it first
        else:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write("whsec_" + secrets.token_urlsafe(32) + "\n")
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise ValueError(f"{path}: the webhook secret file is empty")
    return value, str(path)
