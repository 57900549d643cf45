"""Checking a replay against the application's own database: one record created as typed, nothing else touched."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["StateVerdict", "verdict"]


@dataclass(frozen=True)
class StateVerdict:
    created: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    """Fields of the created record that differ from what the run typed: `name: got != wanted`."""
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return len(self.created) == 1 and not self.mismatched and not self.changed and not self.deleted

    def describe(self) -> str:
        if self.ok:
            return "record created as typed, nothing else touched"
        parts = []
        if len(self.created) != 1:
            parts.append(f"{len(self.created)} records created")
        parts += [f"created record: {m}" for m in self.mismatched]
        parts += [f"record {key} modified" for key in self.changed]
        parts += [f"record {key} deleted" for key in self.deleted]
        return "; ".join(parts)


def verdict(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], expected: dict[str, Any]) -> StateVerdict:
    created = sorted(set(after) - set(before))
    mismatched: list[str] = []
    if len(created) == 1:
        row = after[created[0]]
        mismatched = [f"{name}: {row.get(name)!r} != {want!r}" for name, want in expected.items() if row.get(name) != want]
    changed = sorted(key for key in set(before) & set(after) if before[key] != after[key])
    deleted = sorted(set(before) - set(after))
    return StateVerdict(created, mismatched, changed, deleted)
