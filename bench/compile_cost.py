"""Compile cost: the whole compile of traces of 10, 100 and 1,000 steps against black alone.

"Black alone" formats the very source the compiler hands black, so the ratio is what building the
LibCST tree and rendering it add on top of the formatting every compile needs.

    .venv/bin/python -m bench.compile_cost

Target: whole compile <= 1.3x black alone. Peak memory is traced with tracemalloc (Python allocations).
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import black

from codegen import compile_trace
from codegen._format import BLACK_MODE
from codegen._module import build_module
from tracer import Trace

from ._common import markdown_table, median, timed

__all__ = ["main", "run", "synthetic_trace"]

SIZES = (10, 100, 1000)


def _target(n: int) -> dict[str, Any]:
    return {
        "candidates": [
            {"strategy": "role", "value": "button", "name": f"Action {n}"},
            {"strategy": "text", "value": f"Action {n}", "exact": True},
            {"strategy": "css", "value": f"#action-{n}"},
            {"strategy": "xpath", "value": f'//*[@id="action-{n}"]'},
            {"strategy": "css", "value": f"body > main > form > div:nth-of-type({n % 7 + 1}) > button"},
        ],
        "fingerprint": {
            "tag": "button",
            "role": "button",
            "name": f"Action {n}",
            "text": f"Action {n}",
            "attributes": {"id": f"action-{n}", "type": "button"},
            "ancestors": ["div", "form#main-form", "main", "body"],
        },
    }


def _step(n: int) -> dict[str, Any]:
    kind = n % 5
    if kind == 0:
        action = {"kind": "click", "target": _target(n)}
    elif kind == 1:
        action = {"kind": "fill", "target": _target(n), "value": f"value {n} with \"quotes\" and 'apostrophes'"}
    elif kind == 2:
        action = {"kind": "select_option", "target": _target(n), "options": [f"Option {n}"]}
    elif kind == 3:
        action = {"kind": "press", "target": _target(n), "key": "Enter"}
    else:
        action = {"kind": "assert", "condition": {"kind": "element_text", "target": _target(n), "text": f"Saved {n}"}}
    return {
        "id": f"s{n}",
        "action": action,
        "intention": f"Step {n}: do the thing the user wanted, described in a sentence of ordinary length",
        "postconditions": [{"kind": "url", "pattern": f"http://127.0.0.1:8765/page/{n}"}] if kind == 0 else [],
    }


def synthetic_trace(steps: int) -> Trace:
    blocks = [
        {"label": f"block-{b}", "kind": "action", "steps": [_step(n) for n in range(b * 50 + 1, min(steps, b * 50 + 50) + 1)]}
        for b in range((steps + 49) // 50)
    ]
    return Trace.model_validate(
        {"id": f"synthetic-{steps}", "title": "Synthetic", "start_url": "http://127.0.0.1:8765/", "blocks": blocks}
    )


def run(repeats: int = 5) -> list[list[Any]]:
    rows = []
    for size in SIZES:
        trace = synthetic_trace(size)
        source = compile_trace(trace).source
        unformatted = build_module(trace)[0].code  # what the compiler hands black
        rounds = max(2, repeats if size < 1000 else 3)
        whole, alone = [], []
        for _ in range(rounds):  # interleaved, so drift on a noisy machine hits both sides alike
            gc.collect()
            whole.append(timed(lambda trace=trace: compile_trace(trace)))
            gc.collect()
            alone.append(timed(lambda source=unformatted: black.format_str(source, mode=BLACK_MODE)))
        tracemalloc.start()
        compile_trace(trace)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ratio = median(whole) / median(alone)
        rows.append(
            [size, f"{median(whole) * 1000:.0f} ms", f"{median(alone) * 1000:.0f} ms", f"{ratio:.2f}x",
             "yes" if ratio <= 1.3 else "no", f"{peak / 2**20:.1f} MiB", f"{len(source) / 1024:.0f} KiB"]
        )
    return rows


HEADER = ["steps", "whole compile", "black alone", "ratio", "<= 1.3x", "peak memory", "script size"]


def main() -> None:
    print(markdown_table(HEADER, run()))


if __name__ == "__main__":
    main()
