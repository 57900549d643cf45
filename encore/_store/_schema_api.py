"""The HTTP API's tables (issue 16): API keys (hashed), stored workflows and webhook deliveries."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Float, Index, Integer, String, Table, Text

from ._schema import metadata

__all__ = ["api_keys", "webhook_deliveries", "workflows"]

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", Text, nullable=False),
    # sha256 of the whole key: a key holds 256 random bits, so a slow password hash would add nothing.
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("scope", String(16), nullable=False),
    Column("created", Float, nullable=False),
    Column("revoked_at", Float, nullable=True),
    Column("last_used_at", Float, nullable=True),
)

workflows = Table(
    "workflows",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("definition", JSON, nullable=False),
    Column("created", Float, nullable=False),
    Column("updated", Float, nullable=False),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("run_id", String(64), nullable=False),
    Column("url", Text, nullable=False),
    # waiting (for the run's final status) -> pending (due at next_attempt_at) -> delivered | failed
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", Float, nullable=True),
    Column("lease_until", Float, nullable=True),
    Column("last_status", Integer, nullable=True),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("created", Float, nullable=False),
    Column("delivered_at", Float, nullable=True),
    Index("webhook_deliveries_due", "state", "next_attempt_at"),
    Index("webhook_deliveries_by_run", "run_id"),
)
