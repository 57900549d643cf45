"""Runs and schedules; a heal's parent version, unique per slot (one heal per version, cluster-wide)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_FLAG = sa.Boolean(create_constraint=False)


def upgrade() -> None:
    op.add_column("versions", sa.Column("parent", sa.Integer, nullable=True))
    op.create_index(
        "versions_one_heal_per_parent", "versions", ["workflow", "cache_key", "block", "branch", "parent"], unique=True
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("workflow", sa.Text, nullable=False),
        sa.Column("cache_key", sa.Text, nullable=False, server_default=""),
        sa.Column("params_digest", sa.String(64), nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("definition", sa.JSON, nullable=True),
        sa.Column("run_with", sa.String(16), nullable=False, server_default="code"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("healed", _FLAG, nullable=False, server_default="0"),
        sa.Column("blocks", sa.JSON, nullable=False),
        sa.Column("outputs", sa.JSON, nullable=False),
        sa.Column("llm_calls", sa.Integer, nullable=False, server_default="0"),
        sa.Column("prompt_tokens", sa.Integer, nullable=False, server_default="0"),
        sa.Column("completion_tokens", sa.Integer, nullable=False, server_default="0"),
        sa.Column("cost_usd", sa.Float, nullable=True),
        sa.Column("artefacts", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("queued_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float, nullable=True),
        sa.Column("finished_at", sa.Float, nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("worker", sa.Text, nullable=False, server_default=""),
        sa.Column("job_id", sa.Integer, nullable=True),
        sa.Column("schedule_id", sa.Integer, nullable=True),
        sa.Column("scheduled_for", sa.Float, nullable=True),
        sa.Column("cancel_requested", _FLAG, nullable=False, server_default="0"),
        sa.UniqueConstraint("schedule_id", "scheduled_for", name="runs_one_per_tick"),
    )
    op.create_index("runs_by_status", "runs", ["status", "queued_at"])
    op.create_index("runs_by_workflow", "runs", ["workflow", "queued_at"])
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("cron", sa.Text, nullable=False),
        sa.Column("timezone", sa.Text, nullable=False, server_default="UTC"),
        sa.Column("workflow", sa.Text, nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("run_with", sa.String(16), nullable=False, server_default="code"),
        sa.Column("paused", _FLAG, nullable=False, server_default="0"),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("next_fire_at", sa.Float, nullable=False),
        sa.Column("last_fired_at", sa.Float, nullable=True),
        sa.Column("last_run_id", sa.String(64), nullable=True),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("schedules")
    op.drop_index("runs_by_workflow", "runs")
    op.drop_index("runs_by_status", "runs")
    op.drop_table("runs")
    op.drop_index("versions_one_heal_per_parent", "versions")
    op.drop_column("versions", "parent")
