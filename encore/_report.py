"""The run report: one self-contained HTML page with every step, its mode and selector, and the evidence of each divergence and repair."""

from __future__ import annotations

import base64
import json
import shlex
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, select_autoescape

from tracer import write_atomic

from ._result import BlockResult, RunResult

__all__ = ["write_report"]

_TEMPLATE = """{% macro candidates(rows) %}{% if rows %}<table><tr><th>#</th><th>selector</th><th>matches</th><th>visible</th><th>score</th><th>outcome</th></tr>
{% for c in rows %}<tr><td>{{ c.index }}</td><td><code>{{ c.selector }}</code></td><td>{{ c.matches }}</td><td>{{ c.visible }}</td>
<td>{{ c.score if c.score is not none else "" }}</td><td>{{ c.outcome }}{% if c.error %}: {{ c.error }}{% endif %}</td></tr>{% endfor %}</table>{% endif %}{% endmacro %}<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Encore run {{ run.run_id }}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
.code{background:#eef7ee}.healed,.healed_element,.healed_block{background:#fff6e0}
.agent{background:#e8f0fe}.live{background:#f3f3f3}.failed{background:#fde8e8}.skipped{background:#f3f3f3}
.badge{display:inline-block;padding:0 .4rem;border-radius:.6rem;font-size:12px;background:#f0c36d;color:#222}
.badge.bad{background:#e57373;color:#fff}.badge.good{background:#81c784}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem;max-height:30rem;overflow:auto}
.diff .add{color:#1b5e20;background:#e8f5e9}.diff .del{color:#b71c1c;background:#ffebee}.diff .hunk{color:#555}
img{max-width:100%;border:1px solid #ccc}.shots{display:flex;gap:1rem}.shots figure{flex:1;margin:0}
section.repair{border-left:4px solid #f0c36d;padding-left:1rem;margin:1rem 0}
</style></head><body>
<h1>Encore run <code>{{ run.run_id }}</code>: {{ run.status }}</h1>
<p>Workflow <code>{{ run.workflow }}</code>, cache key <code>{{ run.cache_key }}</code>.
<strong>What ran: {{ run.what_ran }}</strong> (asked for: run with {{ run.run_with }}).
{{ "%.2f"|format(run.seconds) }} s, {{ run.llm_calls }} LLM calls{% if run.failed_llm_calls %} ({{ run.failed_llm_calls }} failed){% endif %},
{{ run.prompt_tokens }} + {{ run.completion_tokens }} tokens,
cost {{ "unknown" if run.cost_usd is none else "$%.4f"|format(run.cost_usd) }}.
{% if run.playwright_trace %}Playwright trace: <code>{{ run.playwright_trace }}</code> (open with <code>playwright show-trace</code>).{% endif %}</p>
{% if run.message %}<p><strong>{{ run.message }}</strong></p>{% endif %}
{% if run.warnings %}<h2>Warnings</h2><ul>{% for w in run.warnings %}<li>{{ w }}</li>{% endfor %}</ul>{% endif %}
<h2>Blocks</h2>
<table><tr><th>block</th><th>branch</th><th>ran</th><th>ok</th><th>seconds</th><th>version</th><th>LLM calls</th><th>note</th></tr>
{% for b in run.blocks %}<tr class="{{ b.mode if b.ok else 'failed' }}"><td><a href="#b{{ loop.index }}">{{ b.label }}</a> ({{ b.kind }})</td><td>{{ b.branch }}</td>
<td>{{ modes[b.mode] }}{% if b.repairs %} <span class="badge">{{ b.repairs|length }} repair{{ "s" if b.repairs|length != 1 }}</span>{% endif %}</td>
<td>{{ "yes" if b.ok else "no" }}</td><td>{{ "%.2f"|format(b.seconds) }}</td>
<td>{{ b.version if b.version is not none else "" }}{% if b.pinned %} (pinned){% endif %}{% if b.new_version %} &rarr; {{ b.new_version }}{% endif %}</td>
<td>{{ b.llm_calls }}{% if b.failed_llm_calls %} ({{ b.failed_llm_calls }} failed){% endif %}</td><td>{{ b.message }}{% if b.heal_loop %} (heal loop: not regenerated){% endif %}</td></tr>
{% endfor %}</table>
{% for b in run.blocks %}{% if b.steps or b.divergence or b.repairs %}
<h3 id="b{{ loop.index }}">{{ b.label }}{% if b.branch %} <small>{{ b.branch }}</small>{% endif %}: {{ modes[b.mode] }}</h3>
{% set fallbacks = b.steps|selectattr("fallback")|list %}{% if fallbacks %}<p><span class="badge">{{ fallbacks|length }} of {{ b.steps|length }} steps ran on a fallback selector</span>
the first candidate no longer verified; the script still works, and the fallback is what the page offers now.</p>{% endif %}
<table><tr><th>step</th><th>action</th><th>intention</th><th>ran</th><th>seconds</th><th>selector</th><th>score</th><th>outcome</th></tr>
{% for s in b.steps %}<tr class="{{ s.mode if s.ok else 'failed' }}"><td>{{ s.step_id }}</td><td>{{ s.action }}</td><td>{{ s.intention }}</td>
<td>{{ s.mode }}</td><td>{{ "%.3f"|format(s.seconds) }}</td><td><code>{{ s.selector or "" }}</code>{% if s.fallback %} <span class="badge">fallback #{{ s.candidate }}</span>{% endif %}</td>
<td>{{ "%.2f"|format(s.score) if s.score is not none else "" }}</td><td>{{ "ok" if s.ok else s.error }}</td></tr>
{% endfor %}</table>
{% for r in b.repairs %}<section class="repair">
<h4>Repair of step {{ r.step_id }}: {{ r.intention }} <span class="badge {{ 'good' if r.accepted else 'bad' }}">{{ "accepted" if r.accepted else "not accepted" }}</span></h4>
<p>Why: <strong>{{ r.reason }}</strong>, none of the recorded candidates verified:</p>
{{ candidates(r.candidates) }}
<p>The model {% if r.element is not none %}chose element [{{ r.element }}]{% else %}chose no element{% endif %}
{% if r.confidence is not none %}with confidence {{ "%.2f"|format(r.confidence) }}{% endif %}{% if r.score is not none %};
its fingerprint scores {{ "%.2f"|format(r.score) }} against the recording{% endif %}. {{ r.explanation }}</p>
<table><tr><th>before (recorded)</th><th>after (re-recorded)</th></tr><tr><td>{% for sel in r.before %}<code>{{ sel }}</code><br>{% endfor %}</td>
<td>{% for sel in r.after %}<code>{{ sel }}</code><br>{% endfor %}</td></tr></table>
<div class="shots">{% if shots.get(r.screenshot_before) %}<figure><img alt="page when the element was lost" src="{{ shots[r.screenshot_before] }}"><figcaption>The page when the element could not be found</figcaption></figure>{% endif %}
{% if shots.get(r.screenshot_after) %}<figure><img alt="the element the model chose" src="{{ shots[r.screenshot_after] }}"><figcaption>The element the model chose</figcaption></figure>{% endif %}</div>
</section>{% endfor %}
{% if b.divergence %}{% set d = b.divergence %}
<h4>Divergence at step {{ d.step_id }}: {{ d.reason }}</h4>
<p>{{ d.message }}</p><p>Intention: {{ d.intention }}<br>URL: <code>{{ d.url }}</code></p>
{{ candidates(d.candidates) }}
{% if d.dom_excerpt %}<p>DOM near the best near-miss:</p><pre>{{ d.dom_excerpt }}</pre>{% endif %}
{% if shots.get(d.screenshot) %}<p>Screenshot:</p><img alt="page at divergence" src="{{ shots[d.screenshot] }}">{% endif %}
{% endif %}
{% if b.script_diff %}<h4>The script, version {{ b.version }} &rarr; {{ b.new_version }}</h4>
<p>Also: <code>{{ diff_command(b) }}</code></p>
<pre class="diff">{% for line in b.script_diff.splitlines() %}<span class="{{ diff_class(line) }}">{{ line }}</span>
{% endfor %}</pre>{% endif %}
{% endif %}{% endfor %}
{% if run.outputs %}<h2>Outputs</h2><pre>{{ outputs_json }}</pre>{% endif %}
</body></html>
"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_MODES = {
    "code": "cached code",
    "healed_element": "cached code, element healed",
    "healed_block": "cached code, block re-recorded",
    "agent": "the agent",
    "live": "live",
    "skipped": "skipped",
}


def write_report(result: RunResult, path: Path, redact: Callable[[str], str]) -> None:
    """Render the report from an already redacted result, then redact the page once more; screenshots are embedded."""
    html = _ENV.from_string(_TEMPLATE).render(
        run=result,
        modes=_MODES,
        shots=_screenshots(result),
        diff_class=_diff_class,
        diff_command=lambda block: _diff_command(result, block),
        outputs_json=json.dumps(result.outputs, indent=2, ensure_ascii=False, default=str),
    )
    write_atomic(path, redact(html))


def _screenshots(result: RunResult) -> dict[str, str]:
    paths = []
    for block in result.blocks:
        paths.append(block.divergence.screenshot if block.divergence else None)
        for repair in block.repairs:
            paths += [repair.screenshot_before, repair.screenshot_after]
    return {
        shot: "data:image/png;base64," + base64.b64encode(Path(shot).read_bytes()).decode("ascii")
        for shot in paths
        if shot and Path(shot).is_file()
    }


def _diff_class(line: str) -> str:
    if line.startswith(("+++", "---")):
        return "hunk"
    return {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "")


def _diff_command(result: RunResult, block: BlockResult) -> str:
    parts = ["encore", "cache", "diff", f"v{block.version}", f"v{block.new_version}", "--workflow", result.workflow,
             "--block", block.label]
    if block.branch:
        parts += ["--branch", block.branch]
    return shlex.join(parts)
