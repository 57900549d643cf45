"""Reading one recording step's fields the way @puppeteer/replay's parser does, with errors that name them."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["MAX_TIMEOUT", "MIN_TIMEOUT", "Refusal", "StepFields"]

MIN_TIMEOUT, MAX_TIMEOUT = 1, 30_000


class Refusal(ValueError):
    """This step cannot be replayed as @puppeteer/replay would replay it; the message says why."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


class StepFields:
    """Typed access to one step's raw JSON; a missing or mistyped field is a `Refusal` naming it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw

    def has(self, name: str) -> bool:
        # The parser treats a present-but-undefined field as absent; JSON null is the nearest thing.
        return self.raw.get(name) is not None

    def string(self, name: str) -> str:
        value = self.raw.get(name)
        if not isinstance(value, str):
            raise Refusal(f"'{name}' must be a string")
        return value

    def optional_string(self, name: str) -> str | None:
        return self.string(name) if self.has(name) else None

    def number(self, name: str) -> float:
        value = self.raw.get(name)
        if not _is_number(value):
            raise Refusal(f"'{name}' must be a number")
        return value

    def optional_number(self, name: str) -> float | None:
        return self.number(name) if self.has(name) else None

    def boolean(self, name: str, default: bool) -> bool:
        if not self.has(name):
            return default
        value = self.raw[name]
        if not isinstance(value, bool):
            raise Refusal(f"'{name}' must be true or false")
        return value

    def integer(self, name: str, default: int) -> int:
        if not self.has(name):
            return default
        value = self.number(name)
        if value != int(value):
            raise Refusal(f"'{name}' must be a whole number")
        return int(value)

    def timeout(self, recording_timeout: int | None, default: int) -> int:
        """The step's timeout, else the recording's, else the runner's default (what the runner waits)."""
        value = self.raw.get("timeout")
        if _is_number(value):
            if not MIN_TIMEOUT <= value <= MAX_TIMEOUT:
                raise Refusal(f"'timeout' {value} is not between {MIN_TIMEOUT} and {MAX_TIMEOUT} ms")
            # The runner uses `step.timeout || flow.timeout || default`: a sub-millisecond timeout is kept as 1.
            return max(MIN_TIMEOUT, math.ceil(value))
        return recording_timeout or default

    def frame(self) -> tuple[int, ...]:
        if not self.has("frame"):
            return ()
        value = self.raw["frame"]
        if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
            raise Refusal("'frame' must be a list of whole numbers (child-frame indexes)")
        if any(i < 0 for i in value):
            raise Refusal("'frame' indexes cannot be negative")
        return tuple(value)

    def page_url(self) -> str | None:
        target = self.raw.get("target")
        if target is None or target == "main":
            return None
        if not isinstance(target, str) or not target:
            raise Refusal("'target' must be \"main\" or the URL of the page or frame the step runs in")
        return target

    def selectors(self, *, required: bool = True) -> tuple[tuple[str, ...], ...] | None:
        if not self.has("selectors"):
            if required:
                raise Refusal("'selectors' is missing")
            return None
        value = self.raw["selectors"]
        if not isinstance(value, list) or not value:
            raise Refusal("'selectors' must be a non-empty list")
        out: list[tuple[str, ...]] = []
        for position, alternative in enumerate(value):
            parts = [alternative] if isinstance(alternative, str) else alternative
            if not isinstance(parts, list) or not parts or not all(isinstance(p, str) and p for p in parts):
                raise Refusal(f"selectors[{position}] must be a non-empty string or a list of them")
            out.append(tuple(parts))
        return tuple(out)
