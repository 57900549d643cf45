"""The store's tables (SQLAlchemy Core): cache versions, heal streaks, runs and schedules, one schema for both backends."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["FINAL_STATUSES", "HEAD", "RUN_STATUSES", "heal_streaks", "metadata", "runs", "schedules", "versions"]

HEAD = "0002"
"""The newest migration; a store at this revision needs no Alembic run (checked against the scripts in a test)."""

RUN_STATUSES = ("queued", "running", "completed", "failed", "terminated", "timed_out", "canceled")
FINAL_STATUSES = frozenset({"completed", "failed", "terminated", "timed_out", "canceled"})

metadata = MetaData()

# Column names and types match the cache file written before the store existed (revision 0001), so such
# a file upgrades in place.
versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workflow", Text, nullable=False),
    Column("cache_key", Text, nullable=False),
    Column("block", Text, nullable=False),
    Column("branch", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("trace", Text, nullable=False),
    Column("script", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("run_id", Text, nullable=False),
    Column("origin", Text, nullable=False),
    Column("created", Float, nullable=False),
    Column("pinned", Boolean(create_constraint=False), nullable=False, server_default="0"),
    Column("note", Text, nullable=False, server_default=""),
    # 0002: the version a heal started from. Unique per slot: two heals of one version cannot both be stored.
    Column("parent", Integer, nullable=True),
    UniqueConstraint("workflow", "cache_key", "block", "branch", "version"),
    Index("versions_one_heal_per_parent", "workflow", "cache_key", "block", "branch", "parent", unique=True),
    sqlite_autoincrement=True,
)

heal_streaks = Table(
    "heal_streaks",
    metadata,
    Column("workflow", Text, primary_key=True),
    Column("cache_key", Text, primary_key=True),
    Column("block", Text, primary_key=True),
    Column("branch", Text, primary_key=True),
    Column("streak", Integer, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("workflow", Text, nullable=False),
    Column("cache_key", Text, nullable=False, server_default=""),
    Column("params_digest", String(64), nullable=False),
    # Plain parameters only: secrets never reach this table (nor the queue), workers take them from their env.
    Column("params", JSON, nullable=False),
    Column("definition", JSON, nullable=True),
    Column("run_with", String(16), nullable=False, server_default="code"),
    Column("status", String(16), nullable=False),
    Column("healed", Boolean(create_constraint=False), nullable=False, server_default="0"),
    Column("blocks", JSON, nullable=False),
    Column("outputs", JSON, nullable=False),
    Column("llm_calls", Integer, nullable=False, server_default="0"),
    Column("prompt_tokens", Integer, nullable=False, server_default="0"),
    Column("completion_tokens", Integer, nullable=False, server_default="0"),
    Column("cost_usd", Float, nullable=True),
    Column("artefacts", JSON, nullable=False),
    Column("reason", Text, nullable=False, server_default=""),
    Column("queued_at", Float, nullable=False),
    Column("started_at", Float, nullable=True),
    Column("finished_at", Float, nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("worker", Text, nullable=False, server_default=""),
    Column("job_id", Integer, nullable=True),
    Column("schedule_id", Integer, nullable=True),
    Column("scheduled_for", Float, nullable=True),
    Column("cancel_requested", Boolean(create_constraint=False), nullable=False, server_default="0"),
    # A schedule fires each tick once, however many workers run the periodic task.
    UniqueConstraint("schedule_id", "scheduled_for", name="runs_one_per_tick"),
    Index("runs_by_status", "status", "queued_at"),
    Index("runs_by_workflow", "workflow", "queued_at"),
)

schedules = Table(
    "schedules",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("cron", Text, nullable=False),
    Column("timezone", Text, nullable=False, server_default="UTC"),
    Column("workflow", Text, nullable=False),
    Column("definition", JSON, nullable=False),
    Column("params", JSON, nullable=False),
    Column("run_with", String(16), nullable=False, server_default="code"),
    Column("paused", Boolean(create_constraint=False), nullable=False, server_default="0"),
    Column("created", Float, nullable=False),
    Column("next_fire_at", Float, nullable=False),
    Column("last_fired_at", Float, nullable=True),
    Column("last_run_id", String(64), nullable=True),
    sqlite_autoincrement=True,
)
