"""The `RECORDED` table of a generated script, parsed once per replay."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from tracer import Fingerprint, Postcondition

__all__ = ["Recorded"]

_POSTCONDITIONS = TypeAdapter(list[Postcondition])


class Recorded:
    """Per step: its intention, the fingerprints of its elements, what held afterwards, its frame path."""

    def __init__(self, table: dict[str, dict[str, Any]]) -> None:
        self._table = table
        self._postconditions = {
            step_id: tuple(_POSTCONDITIONS.validate_python(entry["postconditions"]))
            for step_id, entry in table.items()
            if entry.get("postconditions")
        }
        self._fingerprints = {
            (step_id, key): Fingerprint.model_validate(value)
            for step_id, entry in table.items()
            for key, value in entry.items()
            if key.startswith("fingerprint")
        }

    def intention(self, step_id: str) -> str:
        return str(self._table.get(step_id, {}).get("intention", ""))

    def fingerprint(self, step_id: str, key: str = "fingerprint") -> Fingerprint | None:
        return self._fingerprints.get((step_id, key))

    def postconditions(self, step_id: str) -> tuple[Postcondition, ...]:
        return self._postconditions.get(step_id, ())

    def frame_path(self, step_id: str) -> tuple[str, ...]:
        return tuple(self._table.get(step_id, {}).get("frame_path", ()))

    def get(self, step_id: str, key: str, default: Any = None) -> Any:
        return self._table.get(step_id, {}).get(key, default)
