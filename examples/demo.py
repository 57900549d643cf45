"""The main job on the bundled example: a task solved by the agent, cached as code, replayed, healed.

    .venv/bin/python -m examples.demo

With OPENAI_API_KEY (and OPENAI_BASE_URL for a non-OpenAI server) set, the agent uses that model.
Without, a scripted stand-in model on 127.0.0.1 answers, so the demo runs offline; the rest of the
stack (openai client, instructor, recorder, compiler, cache, runtime) is the real one either way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
from pathlib import Path

from examples.model import ScriptedModel, locate_answer, login_answers
from examples.site.server import PASSWORD, ExampleSite

ROOT = Path(__file__).resolve().parent.parent
GOAL = "Sign in to the shop"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / ".encore" / "demo"), help="cache and reports go here")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the children's
    out = Path(args.out)
    cache = out / "cache.sqlite"
    cache.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{cache}{suffix}").unlink(missing_ok=True)
    real_model = bool(os.environ.get("OPENAI_API_KEY"))
    with contextlib.ExitStack() as stack:
        site = stack.enter_context(ExampleSite())
        redesigned = stack.enter_context(ExampleSite(mutations=("redesigned_login",)))
        env = {**os.environ, "ENCORE_PARAM_PASSWORD": PASSWORD}  # secrets travel by environment
        if not real_model:
            model = stack.enter_context(ScriptedModel())
            model.script(*login_answers(), locate_answer("Continue", "button"))
            env.update(OPENAI_BASE_URL=model.url, OPENAI_API_KEY="scripted")
            print(f"model: scripted stand-in at {model.url} (set OPENAI_API_KEY to use a real one)")
        print(f"example shop at {site.url}; the same shop with a redesigned sign-in button at {redesigned.url}\n")
        task = ["run-task", GOAL, "--url", f"{site.url}/login", "--param", "email=ada@example.com", "--secret",
                "password", "--task-id", "demo-login", "--cache", str(cache), "--runs", str(out / "runs")]
        acts = [
            ("1. First run: no cached code, so the agent solves the task and its run is compiled", task, {0}),
            ("2. Second run: replayed from the cached script, no model", task, {0}),
            ("3. The page changed: one model call finds the button, the script is regenerated",
             [*task, "--base-url", redesigned.url], {3}),
            ("4. Next run on the changed page: the new version replays, no model", [*task, "--base-url", redesigned.url], {0}),
        ]
        failures = 0
        for title, command, expected in acts:
            print(title)
            print("$ encore " + " ".join(_quote(part) for part in command))
            code = subprocess.run([sys.executable, "-m", "encore", *command], env=env, check=False).returncode
            failures += code not in expected
            print()
        for command in (["cache", "ls", "--cache", str(cache)],
                        ["cache", "diff", "v1", "v2", "--workflow", "demo-login", "--cache", str(cache)]):
            print("$ encore " + " ".join(command))
            subprocess.run([sys.executable, "-m", "encore", *command], env=env, check=False)
            print()
    print("demo finished as expected" if failures == 0 else f"{failures} step(s) did not end as expected")
    return 0 if failures == 0 else 1


def _quote(part: str) -> str:
    return f'"{part}"' if " " in part else part


if __name__ == "__main__":
    sys.exit(main())
