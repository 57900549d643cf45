"""Run every benchmark and rewrite bench/RESULTS.md: `.venv/bin/python -m bench`."""

from __future__ import annotations

import asyncio
import datetime
import sys
from pathlib import Path

from tracer import write_atomic

from . import agent_vs_cached, compile_cost, divergence_latency, heal, replay_overhead, score_calibration
from ._common import machine, markdown_table

NOTES = """
- After merging issue 12, the runtime follows the page's requests from the start of a replay (so that a
  settle verdict knows what is in flight); that and the divergence report's near-miss search over every
  visible element cost a few per cent and about 0.1 s of divergence latency. The short extraction flow
  (order_history, ~110 ms) moves between 0.94x and 1.21x from run to run; login and place_order, the
  issue's targets, stay within 1.10x.
- Real applications (bench/REALAPPS.md, `python -m bench.realapps`, after the merge): same release with
  new data 3/3 complete with 0 model calls; across releases 17/18, 15/15 and 15/16 steps without a
  model; 0 wrong-element steps.
- Replay overhead: a generated script verifies every element it acts on inside the resolution
  Playwright performs for the action itself (a selector engine that runs, like Playwright's own, in an
  isolated world), so the common step makes no round trip of its own; what remains is reading a secret
  field back and the post-conditions a hand-written script does not check.
- The heal-bench baselines replay through Encore's runtime with their single selector, so they keep
  its refusal of ambiguous or invisible matches; plain single-locator scripts without that would
  click the first match. On the adversarial pages that refusal is not enough: without fingerprints and
  post-conditions they complete on wrong elements (a relabelled button, a look-alike row, a decoy).
- Score calibration: the score alone separates only about half of the look-alikes (siblings in a list
  are structurally identical); the mismatch rules (name, field name, form, container) do the rest. On the
  real-application pairs (Django admin, Roundup, Wagtail, both ways) the verdict accepts 88/88 same
  elements and rejects 658/664 look-alikes; the other 6 (a twin link to the same address, a results
  table without the checked text) are stopped by the URL post-condition and the text check.
- Agent vs cached: the agent's wall time here holds no model latency (see above); the cached runs use
  no model at all, which is the point: 0 calls, 0 tokens.
"""


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    sections = []
    print("replay overhead ...")
    sections.append(("Replay overhead (target <= 1.10x)", replay_overhead.__doc__,
                     markdown_table(replay_overhead.HEADER, asyncio.run(replay_overhead.run(20)))))
    print("divergence latency ...")
    sections.append(("Divergence latency (target <= 1.5 s)", divergence_latency.__doc__,
                     markdown_table(divergence_latency.HEADER, asyncio.run(divergence_latency.run(10)))))
    print("compile cost ...")
    sections.append(("Compile cost (target <= 1.3x black alone)", compile_cost.__doc__,
                     markdown_table(compile_cost.HEADER, compile_cost.run(5))))
    print("heal bench ...")
    rows, outcomes = asyncio.run(heal.run())
    names = list(outcomes)
    detail = markdown_table(["mutation", *names], [[m, *(outcomes[n][m] for n in names)] for m in sorted(outcomes[names[0]])])
    sections.append(("Heal bench (Encore's wrong-element column must be 0)", heal.__doc__,
                     markdown_table(heal.HEADER, rows) + "\n\n" + detail))
    print("score calibration ...")
    rows, sweep = asyncio.run(score_calibration.run())
    sections.append(("Score calibration (look-alikes accepted must be 0)", score_calibration.__doc__,
                     markdown_table(score_calibration.HEADER, rows) + "\n\n"
                     + markdown_table(score_calibration.SWEEP_HEADER, sweep)))
    print("agent vs cached ...")
    sections.append(("Agent vs cached", agent_vs_cached.__doc__,
                     markdown_table(agent_vs_cached.HEADER, asyncio.run(agent_vs_cached.run()))))
    today = datetime.date.today().isoformat()
    parts = [
        "# Benchmark results",
        "",
        f"Run on {today}, {machine()}, with `.venv/bin/python -m bench`. Every number is a median over",
        "rounds that alternate the two sides in one run; these machines are noisy, so read the ratios.",
        "",
    ]
    for title, doc, table in sections:
        lines = [line for line in (doc or "").strip().splitlines()[1:] if not line.strip().startswith(".venv")]
        text = "\n".join(lines).strip().replace("\n\n\n", "\n\n")
        parts += [f"## {title}", "", text, "", table, ""]
    parts += ["## Reading these numbers", "", NOTES.strip(), ""]
    write_atomic(Path(__file__).parent / "RESULTS.md", "\n".join(parts))
    print("wrote bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
