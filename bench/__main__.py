"""Run every benchmark and rewrite bench/RESULTS.md: `.venv/bin/python -m bench`."""

from __future__ import annotations

import asyncio
import datetime
import sys
from pathlib import Path

from tracer import write_atomic

from . import agent_vs_cached, compile_cost, divergence_latency, heal, replay_overhead
from ._common import machine, markdown_table


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
        text = "\n".join(line for line in (doc or "").strip().splitlines()[1:] if not line.strip().startswith(".venv"))
        parts += [f"## {title}", "", text.strip(), "", table, ""]
    write_atomic(Path(__file__).parent / "RESULTS.md", "\n".join(parts))
    print("wrote bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
