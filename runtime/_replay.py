"""The state one replay shares between locating, acting, checking and reporting."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Page
from pydantic import BaseModel

from ._options import Options
from ._recorded import Recorded
from ._redact import Redactor
from ._urls import rebase

__all__ = ["Replay"]


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

    def url(self, url: str) -> str:
        """A recorded URL or pattern on the origin this replay runs against."""
        return rebase(url, self.start_url, self.options.base_url)
