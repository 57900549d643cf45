"""The main job on the bundled example: compile each trace, replay it on the example shop, show the steps.

    .venv/bin/python -m examples.demo [--mutation changed_labels]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from examples.site.mutations import MUTATIONS
from examples.site.server import PASSWORD, ExampleSite

ROOT = Path(__file__).resolve().parent.parent
CASES = {  # case -> the parameters its trace declares (the password comes from the environment)
    "login": ["email"],
    "place_order": ["attachment"],
    "order_history": [],
    "dashboard_tour": ["newsletter_email"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutation", action="append", default=[], choices=sorted(MUTATIONS),
                        help="serve the shop with changed markup to watch fallbacks and divergences")
    parser.add_argument("--out", default=str(ROOT / ".encore" / "demo"), help="where compiled scripts go")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the children's
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    attachment = out / "attachment.txt"
    attachment.write_text("hello from the demo\n", encoding="utf-8")
    params = {"email": "ada@example.com", "attachment": str(attachment), "newsletter_email": "ada@example.com"}
    failures = 0
    with ExampleSite(mutations=tuple(args.mutation)) as site, tempfile.TemporaryDirectory() as tmp:
        print(f"example shop at {site.url} (mutations: {', '.join(site.mutations) or 'none'})\n")
        env = {**os.environ, "ENCORE_PARAM_PASSWORD": PASSWORD}  # secrets travel by environment
        for case, names in CASES.items():
            params_file = Path(tmp) / f"{case}.json"
            params_file.write_text(json.dumps({name: params[name] for name in names}), encoding="utf-8")
            script = out / f"{case}.py"
            trace = ROOT / "tests" / "traces" / f"{case}.json"
            print(f"$ python -m codegen {trace.relative_to(ROOT)} -o {script}")
            subprocess.run([sys.executable, "-m", "codegen", str(trace), "-o", str(script)], check=True)
            print(f"$ python -m runtime run {script} --base-url {site.url}")
            result = subprocess.run(
                [sys.executable, "-m", "runtime", "run", str(script), "--params", str(params_file),
                 "--base-url", site.url, "--artifacts", str(out / "artifacts")],
                env=env,
            )
            failures += result.returncode != 0
            print()
    print(f"{len(CASES) - failures} of {len(CASES)} scripts replayed to the end")
    return 0 if failures == 0 or args.mutation else 1


if __name__ == "__main__":
    sys.exit(main())
