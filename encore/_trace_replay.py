"""`encore replay TRACE.json`: one trace (an imported recording, say) compiled and replayed, then saved enriched."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.async_api import async_playwright

from codegen import compile_trace
from runtime import (
    DivergenceError,
    Enrichment,
    Options,
    StepResult,
    launch_chromium,
    load_params,
    load_script,
)
from tracer import Trace, write_trace

__all__ = ["TraceReplay", "replay_trace"]


@dataclass
class TraceReplay:
    """What one replay of a trace did: its steps, the divergence that stopped it, the enriched trace."""

    steps: list[StepResult] = field(default_factory=list)
    divergence: DivergenceError | None = None
    enriched: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.divergence is None


async def replay_trace(
    trace: Trace,
    params: dict[str, Any],
    *,
    enrich_to: Path | None = None,
    base_url: str | None = None,
    headed: bool = False,
    artifacts: Path | None = None,
) -> TraceReplay:
    """Replay `trace`; with `enrich_to`, a completed replay writes the trace every later replay verifies with.

    Parameters and secrets come from `params` and, for those missing, ENCORE_PARAM_<NAME>.
    """
    outcome = TraceReplay()
    enrichment = Enrichment() if enrich_to is not None else None
    with tempfile.TemporaryDirectory(prefix="encore-replay-") as folder:
        script = Path(folder) / "replay.py"
        script.write_text(compile_trace(trace).source, encoding="utf-8")
        module = load_script(script)
        values = load_params(module, {k: v for k, v in params.items() if k in module.Params.model_fields})
        options = Options(base_url=base_url, artifacts_dir=artifacts, on_step=outcome.steps.append, enrich=enrichment)
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright, headless=not headed)
            try:
                context = await browser.new_context(accept_downloads=True)
                await module.run(await context.new_page(), values, options)
            except DivergenceError as diverged:
                outcome.divergence = diverged
            finally:
                await browser.close()
    if outcome.ok and enrichment is not None and enrich_to is not None:
        enriched, outcome.notes = enrichment.apply(trace)
        write_trace(enriched, enrich_to)
        outcome.enriched = enrich_to
    return outcome
