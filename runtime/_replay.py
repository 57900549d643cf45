"""The state one replay shares between locating, acting, checking and reporting."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.async_api import Page
from pydantic import BaseModel

from tracer import Fingerprint

from ._options import Options
from ._recorded import Recorded
from ._redact import Redactor
from ._settle import SettleWait, activity
from ._templates import param_values, resolve_fingerprint
from ._urls import rebase
from ._vars import RunVars

__all__ = ["Replay"]

# A recorded element that took `appear_ms` to show up is waited for at least this many times as long.
APPEAR_MARGIN = 2.0


@dataclass
class Replay:
    """The page (it moves when a click opens a tab), the settings, and what was recorded."""

    page: Page
    params: BaseModel
    options: Options
    start_url: str
    recorded: Recorded
    redact: Redactor
    block_label: str | None = None
    vars: RunVars = field(default_factory=RunVars)
    """Ids this replay captured from URLs (issue 12)."""

    def __post_init__(self) -> None:
        activity(self.page)  # requests are followed from the start: a settle verdict needs them
        self._params = param_values(self.params)

    def url(self, url: str) -> str:
        """A recorded URL or pattern on the origin this replay runs against."""
        return rebase(url, self.start_url, self.options.base_url)

    @property
    def param_values(self) -> dict[str, str]:
        """The non-secret parameters as templates hold them."""
        return self._params

    def fingerprint(self, step_id: str, key: str = "fingerprint") -> Fingerprint | None:
        """The recorded fingerprint with this run's values in its templated fields."""
        recorded = self.recorded.fingerprint(step_id, key)
        if recorded is None or not recorded.templates:
            return recorded
        return resolve_fingerprint(recorded, self._params, self.vars.as_dict())

    def settle_wait(self, step_id: str, spent: float = 0.0) -> SettleWait | None:
        """How long this step may wait for a missing element (see `SettleWait`); None when it may not.

        `spent` is what the step already spent looking before this wait starts counting: floor and limit
        run from the step's start, like its locate budget.
        """
        options = self.options
        limit = options.settle_timeout
        if limit <= options.locate_timeout:
            return None
        appeared = self.recorded.get(step_id, "appear_ms")
        learned = APPEAR_MARGIN * appeared / 1000 + 0.25 if isinstance(appeared, (int, float)) else 0.0
        floor = min(limit, max(options.locate_timeout, learned))
        activity(self.page)
        return SettleWait(self.page, floor - spent, limit - spent)
