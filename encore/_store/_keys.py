"""API keys: shown once when created, stored as their sha256, revocable; a key's scope is full or read."""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, Row, bindparam, select, update

from ._engine import write
from ._errors import CacheError
from ._schema_api import api_keys

__all__ = ["KEY_PREFIX", "SCOPES", "ApiKey", "ApiKeys", "key_hash"]

KEY_PREFIX = "ek_"
SCOPES = ("full", "read")
Scope = Literal["full", "read"]
_BY_HASH = select(api_keys).where(api_keys.c.key_hash == bindparam("digest"))  # every request: built once


def key_hash(presented: str) -> str:
    return hashlib.sha256(presented.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    scope: str
    created: float
    revoked_at: float | None = None
    last_used_at: float | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


class ApiKeys:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, name: str, scope: Scope = "full") -> tuple[ApiKey, str]:
        """A new key; returns its record and the key itself, which is not kept anywhere."""
        name = name.strip()
        if not name or len(name) > 100:
            raise ValueError("a key's name is 1 to 100 characters")
        if scope not in SCOPES:
            raise ValueError(f"scope {scope!r}: one of {', '.join(SCOPES)}")
        key_id = secrets.token_hex(6)
        presented = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        with write(self.engine) as connection:
            connection.execute(api_keys.insert().values(
                id=key_id, name=name, key_hash=key_hash(presented), scope=scope, created=time.time(),
            ))
        return self.get(key_id), presented

    def get(self, key_id: str) -> ApiKey:
        with self.engine.connect() as connection:
            row = connection.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
        if row is None:
            raise CacheError(f"no API key with id {key_id}")
        return _record(row)

    def list(self) -> list[ApiKey]:
        with self.engine.connect() as connection:
            return [_record(row) for row in connection.execute(select(api_keys).order_by(api_keys.c.created))]

    def revoke(self, key_id: str) -> ApiKey:
        """Revoke a key at once (revoking twice keeps the first time)."""
        self.get(key_id)
        with write(self.engine) as connection:
            connection.execute(
                update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=time.time())
            )
        return self.get(key_id)

    def verify(self, presented: str) -> ApiKey | None:
        """The key's record (revoked ones too, so the caller can say so), or None for anything unknown."""
        if not presented.startswith(KEY_PREFIX) or len(presented) > 200:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(_BY_HASH, {"digest": key_hash(presented)}).first()
        return _record(row) if row is not None else None

    def touch(self, key_id: str, at: float) -> None:
        with write(self.engine) as connection:
            connection.execute(update(api_keys).where(api_keys.c.id == key_id).values(last_used_at=at))


def _record(row: Row[Any] | Mapping[str, Any]) -> ApiKey:
    data = dict(getattr(row, "_mapping", row))  # a SQLAlchemy row, or a psycopg dict row (`AsyncReads`)
    data.pop("key_hash")
    return ApiKey(**data)
