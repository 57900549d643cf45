"""Launching Chromium: Playwright's own build when installed, else a system Chromium."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Playwright
from playwright.async_api import Error as PlaywrightError

__all__ = ["CHROMIUM_ARGS", "BrowserUnavailable", "browser_problem", "launch_chromium", "system_chromium"]

# Needed as root in containers, and to keep a closed network from stalling start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Chromium flags for containers and closed networks."""


class BrowserUnavailable(RuntimeError):
    """No Chromium can be started as asked; the message says what to install, set or change."""


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


def browser_problem(*, headless: bool = True) -> str | None:
    """What will stop Chromium from starting, found without starting it: a bad ENCORE_CHROMIUM, no display."""
    configured = os.environ.get("ENCORE_CHROMIUM")
    if configured:
        path = Path(configured)
        if not path.is_file():
            return f"ENCORE_CHROMIUM={configured}: no such file (point it at a Chromium binary, or unset it)"
        if not os.access(path, os.X_OK):
            return f"ENCORE_CHROMIUM={configured}: not executable"
    if not headless and sys.platform.startswith("linux"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return "--headed needs a display, and neither DISPLAY nor WAYLAND_DISPLAY is set (run headless, or under xvfb-run)"
    return None


async def launch_chromium(playwright: Playwright, *, headless: bool = True, **options: Any) -> Browser:
    """Chromium as Encore drives it, headless by default; `options` go to Playwright's `launch` (e.g. `env`).

    BrowserUnavailable (one line) when it cannot start.
    """
    problem = browser_problem(headless=headless)
    if problem:
        raise BrowserUnavailable(problem)
    try:
        return await _launch(playwright, headless, options)
    except PlaywrightError as exc:
        first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise BrowserUnavailable(f"Chromium did not start: {first}") from None


async def _launch(playwright: Playwright, headless: bool, options: dict[str, Any]) -> Browser:
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
