"""Launching Chromium: Playwright's own build when installed, else a system Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Error as PlaywrightError, Playwright

__all__ = ["CHROMIUM_ARGS", "BrowserUnavailable", "launch_chromium", "system_chromium"]

# Needed as root in containers, and to keep a closed network from stalling start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserUnavailable(RuntimeError):
    pass


def system_chromium() -> str | None:
    """ENCORE_CHROMIUM, else a Chromium on the PATH or at Debian's location."""
    configured = os.environ.get("ENCORE_CHROMIUM")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


async def launch_chromium(playwright: Playwright, *, headless: bool = True, **options: Any) -> Browser:
    """Chromium, headless by default; `options` go to Playwright's `launch` (e.g. `env`)."""
    configured = os.environ.get("ENCORE_CHROMIUM")
    if not configured:
        try:
            return await playwright.chromium.launch(headless=headless, args=CHROMIUM_ARGS, **options)
        except PlaywrightError as exc:
            if "Executable doesn't exist" not in str(exc):
                raise
    executable = system_chromium()
    if executable is None:
        raise BrowserUnavailable(
            "no Chromium found: run `python -m playwright install chromium`, or install your system's "
            "chromium package (Debian: apt-get install chromium), or set ENCORE_CHROMIUM to its path"
        )
    return await playwright.chromium.launch(headless=headless, args=CHROMIUM_ARGS, executable_path=executable, **options)
