"""Replaying golden scripts against the example site from tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import Page

from examples.site.server import PASSWORD, ExampleSite
from runtime import Options, Steps, load_params, load_script

from ..conftest import GOLDEN

EMAIL = "ada@example.com"


def default_params(tmp_path: Path) -> dict[str, Any]:
    attachment = tmp_path / "note.txt"
    attachment.write_text("please handle with care", encoding="utf-8")
    return {"email": EMAIL, "password": PASSWORD, "attachment": str(attachment), "newsletter_email": "nl@example.com"}


async def replay(case: str, page: Page, site: ExampleSite, tmp_path: Path, **overrides: Any) -> tuple[dict, list]:
    """Run golden/<case>.py; returns (outputs, step results)."""
    module = load_script(GOLDEN / f"{case}.py")
    values = {k: v for k, v in {**default_params(tmp_path), **overrides}.items() if k in module.Params.model_fields}
    params = load_params(module, values)
    results: list = []
    options = Options(base_url=site.url, artifacts_dir=tmp_path / "artifacts", on_step=results.append)
    outputs = await module.run(page, params, options)
    return outputs, results


def fallbacks(results: list) -> dict[str, int]:
    """Step id -> index of the candidate that verified, for steps that needed a fallback."""
    return {r.step_id: r.candidate_index for r in results if r.used_fallback}


__all__ = ["EMAIL", "Steps", "default_params", "fallbacks", "replay"]
