"""The run report: one self-contained HTML page (every step, its mode and time, each divergence's evidence)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, select_autoescape

from tracer import write_atomic

from ._result import RunResult

__all__ = ["write_report"]

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Encore run {{ run.run_id }}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.code{background:#eef7ee}.healed,.healed_element,.healed_block{background:#fff6e0}
.agent{background:#e8f0fe}.live{background:#f3f3f3}.failed{background:#fde8e8}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;max-height:20rem;overflow:auto}
img{max-width:100%;border:1px solid #ccc}
</style></head><body>
<h1>Encore run <code>{{ run.run_id }}</code>: {{ run.status }}</h1>
<p>Workflow <code>{{ run.workflow }}</code>, cache key <code>{{ run.cache_key }}</code>, run with {{ run.run_with }}.
{{ "%.2f"|format(run.seconds) }} s, {{ run.llm_calls }} LLM calls, {{ run.prompt_tokens }} + {{ run.completion_tokens }} tokens,
cost {{ "unknown" if run.cost_usd is none else "$%.4f"|format(run.cost_usd) }}.
{% if run.playwright_trace %}Playwright trace: <code>{{ run.playwright_trace }}</code> (open with <code>playwright show-trace</code>).{% endif %}</p>
{% if run.message %}<p><strong>{{ run.message }}</strong></p>{% endif %}
{% if run.warnings %}<h2>Warnings</h2><ul>{% for w in run.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}
<h2>Blocks</h2>
<table><tr><th>block</th><th>branch</th><th>mode</th><th>ok</th><th>seconds</th><th>version</th><th>LLM calls</th><th>note</th></tr>
{% for b in run.blocks %}<tr class="{{ b.mode if b.ok else 'failed' }}"><td>{{ b.label }} ({{ b.kind }})</td><td>{{ b.branch }}</td>
<td>{{ b.mode }}</td><td>{{ "yes" if b.ok else "no" }}</td><td>{{ "%.2f"|format(b.seconds) }}</td>
<td>{{ b.version if b.version is not none else "" }}{% if b.new_version %} &rarr; {{ b.new_version }}{% endif %}</td>
<td>{{ b.llm_calls }}</td><td>{{ b.message }}{% if b.heal_loop %} (heal loop: not regenerated){% endif %}</td></tr>
{% endfor %}</table>
{% for b in run.blocks %}{% if b.steps or b.divergence %}
<h3>{{ b.label }}{% if b.branch %} <small>{{ b.branch }}</small>{% endif %}</h3>
<table><tr><th>step</th><th>action</th><th>intention</th><th>mode</th><th>seconds</th><th>selector</th><th>outcome</th></tr>
{% for s in b.steps %}<tr class="{{ s.mode if s.ok else 'failed' }}"><td>{{ s.step_id }}</td><td>{{ s.action }}</td><td>{{ s.intention }}</td>
<td>{{ s.mode }}</td><td>{{ "%.3f"|format(s.seconds) }}</td><td><code>{{ s.selector or "" }}</code></td><td>{{ "ok" if s.ok else s.error }}</td></tr>
{% endfor %}</table>
{% if b.divergence %}{% set d = b.divergence %}
<h4>Divergence at step {{ d.step_id }}: {{ d.reason }}</h4>
<p>{{ d.message }}</p><p>Intention: {{ d.intention }}<br>URL: <code>{{ d.url }}</code></p>
{% if d.candidates %}<table><tr><th>#</th><th>selector</th><th>matches</th><th>visible</th><th>score</th><th>outcome</th></tr>
{% for c in d.candidates %}<tr><td>{{ c.index }}</td><td><code>{{ c.selector }}</code></td><td>{{ c.matches }}</td><td>{{ c.visible }}</td>
<td>{{ c.score if c.score is not none else "" }}</td><td>{{ c.outcome }}{% if c.error %}: {{ c.error }}{% endif %}</td></tr>{% endfor %}</table>{% endif %}
{% if d.dom_excerpt %}<p>DOM near the best near-miss:</p><pre>{{ d.dom_excerpt }}</pre>{% endif %}
{% if screenshots.get(d.screenshot) %}<p>Screenshot:</p><img alt="page at divergence" src="{{ screenshots[d.screenshot] }}">{% endif %}
{% endif %}{% endif %}{% endfor %}
{% if run.outputs %}<h2>Outputs</h2><pre>{{ outputs_json }}</pre>{% endif %}
</body></html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


def write_report(result: RunResult, path: Path, redact: Callable[[str], str]) -> None:
    """Render the report from an already redacted result, then redact the page once more; screenshots are embedded."""
    screenshots: dict[str, str] = {}
    for block in result.blocks:
        shot = block.divergence.screenshot if block.divergence else None
        if shot and Path(shot).is_file():
            screenshots[shot] = "data:image/png;base64," + base64.b64encode(Path(shot).read_bytes()).decode("ascii")
    html = _ENV.from_string(_TEMPLATE).render(
        run=result,
        screenshots=screenshots,
        outputs_json=json.dumps(result.outputs, indent=2, ensure_ascii=False, default=str),
    )
    write_atomic(path, redact(html))
