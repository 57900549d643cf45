"""Score-calibration pairs from the real applications: each recorded element against itself and its look-alikes.

    .venv/bin/python -m bench.realapps.pairs            # writes tests/runtime/calibration/realapps.json

For each application and each direction (record on one release, judge on the other), the flow is
recorded through Encore's Recorder on the first release; then each release is walked with the flow's
own actions (`perform`, the same data as the recording's) and, before every step that has an element,
the page-side check (`runtime/js/verify.js`, `judge`) reads live fingerprints against the recorded one:

- `same`: the element the flow's own locator finds on the other release (never found by the score);
  `renamed` when its accessible name differs from the recorded one (case and whitespace aside), which
  the runtime stops on by design, a heal deciding;
- `sibling`: visible elements of the same tag in the element's nearest group of them (the other fields
  of its form, the other links of its menu or row), on both releases;
- `decoy`: visible elements elsewhere on the page with the same tag or role whose name is most like
  the recorded one, on both releases.

The fixture holds fingerprints only (as the runtime resolves them, and as the page reads the live
element), sorted by application, direction and step: no secret (checked), no box, no timing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, async_playwright

from runtime import Options, launch_chromium
from runtime._pagejs import verify_library
from runtime._score import verdict
from runtime._templates import fingerprint_json
from tracer import Fingerprint, Trace, write_atomic

from ._app import App, Release
from ._flow import FlowStep, perform, record
from ._judge import oracle_handle
from ._runner import APPS
from ._venv import CACHE

__all__ = ["FIXTURE", "collect", "main"]

FIXTURE = Path(__file__).resolve().parents[2] / "tests" / "runtime" / "calibration" / "realapps.json"
SIBLINGS = 4
DECOYS = 3
MIN_SCORE = Options().min_score

# In the page: the oracle's judged fingerprint, then siblings and decoys judged against the same record.
_LOOK_ALIKES = """(el, [rec, siblings, decoys]) => {
  const lib = %s;
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (e.getAttribute("name") ? `[name=${e.getAttribute("name")}]` : "")
    + ` "${(e.innerText || e.getAttribute("aria-label") || "").replace(/\\s+/g, " ").trim().slice(0, 40)}"`;
  const other = (e) => e !== el && !e.contains(el) && !el.contains(e) && lib.isVisible(e);
  const tag = el.tagName.toLowerCase();
  // Siblings: the nearest ancestor holding other visible elements of this tag; the closest in document order.
  let group = [];
  for (let box = el.parentElement; box && !group.length; box = box.parentElement) {
    group = Array.from(box.querySelectorAll(tag)).filter(other);
  }
  const all = Array.from(document.querySelectorAll("*"));
  const at = (e) => all.indexOf(e);
  const here = at(el);
  group.sort((a, b) => Math.abs(at(a) - here) - Math.abs(at(b) - here) || at(a) - at(b));
  const chosen = group.slice(0, siblings);
  // Decoys: elsewhere on the page, same tag or role, the most similar name first (document order on ties).
  const mine = lib.live(el, null);
  const pool = all.filter((e) => other(e) && !chosen.includes(e) && !group.includes(e)).map((e) => [e, lib.live(e, null)])
    .filter(([, f]) => f.tag === tag || (mine.role && f.role === mine.role))
    .map(([e, f]) => [e, lib.similarity(mine.name || mine.text, f.name || f.text)]);
  pool.sort((a, b) => b[1] - a[1] || at(a[0]) - at(b[0]));
  const found = pool.slice(0, decoys).map(([e]) => e);
  const judged = (e, kind) => ({ kind, element: describe(e), ...lib.judge(e, rec) });
  return [judged(el, "same"), ...chosen.map((e) => judged(e, "sibling")), ...found.map((e) => judged(e, "decoy"))];
}"""


def _target_of(step: Any) -> Any:
    action = step.action
    target = getattr(action, "target", None)
    if target is None and getattr(action, "condition", None) is not None:
        target = getattr(action.condition, "target", None)
    return target


async def _walk(
    app: App, release: Release, browser: Browser, folder: Path, recorded: Mapping[str, tuple[FlowStep, Fingerprint | None]]
) -> dict[str, list[dict[str, Any]]]:
    """Walk the flow on `release` with the recording's data; each step's element and look-alikes, judged."""
    flow = app.flow
    script = _LOOK_ALIKES % verify_library()
    out: dict[str, list[dict[str, Any]]] = {}
    with app.running(release, "base", folder) as instance:
        context = await browser.new_context()
        try:
            page = await context.new_page()
            for step_id, (step, fingerprint) in recorded.items():
                if step.target is not None and fingerprint is not None:
                    out[step_id] = await _judge_step(page, step, fingerprint, flow.record_params, script)
                await perform(step, page, instance.base_url, flow.record_params, flow.secrets)
        finally:
            await context.close()
    return out


async def _judge_step(page: Page, step: FlowStep, fingerprint: Fingerprint, params: Mapping[str, Any], script: str) -> list[dict[str, Any]]:
    await page.wait_for_load_state("load")
    oracle, count = await oracle_handle(page, step, params, wait=5.0)
    if oracle is None:
        return [{"kind": "missing", "element": f"the flow's locator finds {count}"}]
    spec = fingerprint_json(fingerprint)
    judged = await oracle.evaluate(script, [spec, SIBLINGS, DECOYS])
    for item in judged:
        python = verdict(fingerprint, item["live"])
        # The messages spell a missing value each in its language (None / null): the outcome must agree.
        if (python.score, python.mismatch is None) != (item["score"], item["mismatch"] is None):
            raise AssertionError(
                f"{step.intention}: page and Python disagree on {item['element']}: {item['score']} {item['mismatch']!r}"
                f" / {python.score} {python.mismatch!r}; recorded {fingerprint!r}; live {item['live']!r}"
            )
        item.pop("score")
        item.pop("mismatch")
    return judged


async def _direction(app: App, first: Release, second: Release, browser: Browser) -> list[dict[str, Any]]:
    folder = CACHE / "runs" / f"pairs-{app.key}-{first.version}"
    with app.running(first, "base", folder / "record") as instance:
        context = await browser.new_context()
        try:
            trace, by_id = await record(app.flow, await context.new_page(), instance.base_url, folder / "trace.json")
        finally:
            await context.close()
    recorded = _recorded(trace, by_id)
    trace_steps = {step.id: step for step in trace.steps()}
    on_first = await _walk(app, first, browser, folder / "first", recorded)
    on_second = await _walk(app, second, browser, folder / "second", recorded)
    steps = []
    for step_id, (step, fingerprint) in recorded.items():
        if step.target is None or fingerprint is None:
            continue
        pairs = [_pair(item, first, fingerprint) for item in on_first[step_id] if item["kind"] != "same"]
        pairs += [_pair(item, second, fingerprint) for item in on_second[step_id]]
        steps.append({
            "app": app.key, "recorded_on": first.version, "other_release": second.version, "step": step_id,
            "intention": step.intention, "fingerprint": fingerprint.model_dump(mode="json", exclude={"box"}, exclude_defaults=True),
            # What a text check expects to read in its element: the check that stops a look-alike lacking it.
            "expects": _expects(trace_steps[step_id]),
            "pairs": sorted(pairs, key=lambda p: ({"same": 0, "renamed": 0, "sibling": 1, "decoy": 2}[p["kind"]], p["judged_on"] != second.version)),
        })
    return steps


def _expects(step: Any) -> str | None:
    condition = getattr(step.action, "condition", None)
    text = getattr(condition, "text", None)
    return text if isinstance(text, str) else None


def _recorded(trace: Trace, by_id: Mapping[str, FlowStep]) -> dict[str, tuple[FlowStep, Fingerprint | None]]:
    """Each flow step with the recorded target's fingerprint.

    The walks use the recording's data (its parameters, a copy of its database), so every template in
    the fingerprint resolves to the recorded text itself: the fingerprint is taken as recorded, and
    `fingerprint_json` keeps a counter's pattern, as the runtime does.
    """
    out = {}
    for step in trace.steps():
        target = _target_of(step)
        out[step.id] = (by_id[step.id], target.fingerprint if target is not None else None)
    return out


def _pair(item: dict[str, Any], release: Release, fingerprint: Fingerprint) -> dict[str, Any]:
    kind = item["kind"]
    if kind == "same" and _norm(item["live"].get("name")) != _norm(fingerprint.name):
        kind = "renamed"
    live = {k: v for k, v in item["live"].items() if k != "box"}
    return {"kind": kind, "judged_on": release.version, "element": item["element"], "live": live}


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


async def collect(names: list[str]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            for name in names:
                app = APPS[name]()
                for release in app.releases:
                    app.prepare(release)
                first, second = app.releases
                for a, b in ((first, second), (second, first)):
                    print(f"{app.name}: recorded on {a.version}, judged on {b.version} ...", flush=True)
                    steps += await _direction(app, a, b, browser)
        finally:
            await browser.close()
    return steps


# Times the applications print (Roundup's "5 minutes ago", "2026-11-28.14:42:18"): one word each, kept
# as one word, so the fixture is the same on every run and the word counts the score compares stay.
_TIMES = re.compile(r"\b\d+ (second|minute|hour|day|week|month|year)s? ago\b|\b\d{4}-\d\d-\d\d\.\d\d:\d\d:\d\d\b")


def _masked(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps with printed times masked; every pair's verdict must stay what the page judged."""
    masked = json.loads(_TIMES.sub(lambda m: "N " + m.group(1) + "s ago" if m.group(1) else "DATE", json.dumps(steps)))
    for before, after in zip(steps, masked, strict=True):
        fingerprints = [Fingerprint.model_validate(s["fingerprint"]) for s in (before, after)]
        for old, new in zip(before["pairs"], after["pairs"], strict=True):
            if old["kind"] == "missing":
                continue
            if verdict(fingerprints[0], old["live"]).accepted(MIN_SCORE) != verdict(fingerprints[1], new["live"]).accepted(MIN_SCORE):
                raise AssertionError(f"{before['intention']}: masking times changes the verdict on {old['element']}")
    return masked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realapps.pairs", description=__doc__.splitlines()[0])
    parser.add_argument("apps", nargs="*", choices=[[], *APPS], default=[], help="default: all (the fixture needs all)")
    parser.add_argument("-o", "--output", type=Path, default=FIXTURE)
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    steps = _masked(asyncio.run(collect(args.apps or sorted(APPS))))
    text = json.dumps({"generated_by": "python -m bench.realapps.pairs", "steps": steps}, indent=1, sort_keys=True,
                      ensure_ascii=False) + "\n"
    for name in APPS:
        for secret in APPS[name]().flow.secrets.values():
            if secret in text:
                raise SystemExit(f"{args.output}: a secret of {name} would be written; nothing written")
    write_atomic(args.output, text)
    print(f"wrote {args.output}: {sum(len(s['pairs']) for s in steps)} pairs over {len(steps)} recorded elements")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
