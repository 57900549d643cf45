"""The store: cache versions, pins, heal streaks, runs and schedules on SQLite (embedded) or PostgreSQL (shared).

SQLAlchemy Core describes the schema once (`_schema.py`); Alembic migrations (`migrations/`) create it or
upgrade an older file in place when a store is opened.
"""

from ._engine import DEFAULT_STORE, StoreURL, default_store
from ._errors import CacheError
from ._locks import HealLock, acquire
from ._runs import RunRecord, Runs, params_digest
from ._schedules import ScheduleRecord, Schedules, check_cron, next_tick
from ._schema import FINAL_STATUSES, RUN_STATUSES
from ._schema import HEAD as HEAD_REVISION
from ._store import Store
from ._versions import DuplicateHeal, Origin, Slot, Version, Versions

__all__ = [
    "DEFAULT_STORE",
    "FINAL_STATUSES",
    "HEAD_REVISION",
    "RUN_STATUSES",
    "CacheError",
    "DuplicateHeal",
    "HealLock",
    "Origin",
    "RunRecord",
    "Runs",
    "ScheduleRecord",
    "Schedules",
    "Slot",
    "Store",
    "StoreURL",
    "Version",
    "Versions",
    "acquire",
    "check_cron",
    "default_store",
    "next_tick",
    "params_digest",
]
