"""Run variables: ids a replay captured from URLs (a created record's), read by later steps as `steps.vars.<name>`."""

from __future__ import annotations

from collections.abc import Callable

from ._errors import Divergence, DivergenceError

__all__ = ["RunVars"]


class RunVars:
    """Captured values by name; `on_first` is told when the first one arrives (the outputs then show them)."""

    def __init__(self, on_first: Callable[[dict[str, str]], None] | None = None) -> None:
        self._values: dict[str, str] = {}
        self._on_first = on_first

    def set(self, name: str, value: str) -> None:
        if not self._values and self._on_first is not None:
            self._on_first(self._values)
        self._values[name] = value

    def as_dict(self) -> dict[str, str]:
        return dict(self._values)

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            # A script reads a variable only after the step that captures it; reaching here means that
            # step's URL was never checked (it was healed away): a divergence, not a crash.
            raise DivergenceError(
                Divergence(
                    reason="postcondition_failed",
                    message=f"run variable {name!r} was never captured: the step whose URL records it did not run",
                    step_id="vars",
                )
            ) from None

    def __repr__(self) -> str:
        return f"RunVars({self._values!r})"
