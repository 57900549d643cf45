"""Baseline: the cache file as written before the store existed (versions and heal streaks).

A file made by that code already holds both tables and no Alembic revision: the tables are created
only when missing, so such a file is adopted as revision 0001 and upgraded in place from there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "versions" not in existing:
        op.create_table(
            "versions",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("workflow", sa.Text, nullable=False),
            sa.Column("cache_key", sa.Text, nullable=False),
            sa.Column("block", sa.Text, nullable=False),
            sa.Column("branch", sa.Text, nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("trace", sa.Text, nullable=False),
            sa.Column("script", sa.Text, nullable=False),
            sa.Column("sha256", sa.Text, nullable=False),
            sa.Column("run_id", sa.Text, nullable=False),
            sa.Column("origin", sa.Text, nullable=False),
            sa.Column("created", sa.Float, nullable=False),
            sa.Column("pinned", sa.Boolean(create_constraint=False), nullable=False, server_default="0"),
            sa.Column("note", sa.Text, nullable=False, server_default=""),
            sa.UniqueConstraint("workflow", "cache_key", "block", "branch", "version"),
            sqlite_autoincrement=True,
        )
    if "heal_streaks" not in existing:
        op.create_table(
            "heal_streaks",
            sa.Column("workflow", sa.Text, primary_key=True),
            sa.Column("cache_key", sa.Text, primary_key=True),
            sa.Column("block", sa.Text, primary_key=True),
            sa.Column("branch", sa.Text, primary_key=True),
            sa.Column("streak", sa.Integer, nullable=False),
        )


def downgrade() -> None:
    op.drop_table("heal_streaks")
    op.drop_table("versions")
