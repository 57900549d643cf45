"""Data flows one way: agent/recorder -> trace -> codegen -> script -> runtime; no import climbs back up.

`tracer` (the IR) imports none of the others; `codegen` only `tracer`; `runtime` (what generated
scripts import) only `tracer`; `agent` not `encore` or `codegen`; `encore` sits above them all.
Checked twice: every import statement in the source (lazy ones inside functions included), and what
importing each package really loads.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from .conftest import ROOT

FORBIDDEN = {
    "tracer": {"codegen", "runtime", "agent", "encore"},
    "codegen": {"runtime", "agent", "encore"},
    "runtime": {"codegen", "agent", "encore"},
    "agent": {"codegen", "encore"},
}


def _imports(package: str) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), node.lineno, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.append((str(path.relative_to(ROOT)), node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_statement_climbs_back_up(package: str) -> None:
    climbing = [f"{file}:{line} imports {name}" for file, line, name in _imports(package)
                if name.split(".")[0] in FORBIDDEN[package]]
    assert climbing == []


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_importing_a_package_loads_nothing_above_it(package: str) -> None:
    probe = (
        f"import sys, {package}\n"
        f"above = {sorted(FORBIDDEN[package])!r}\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(above)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_a_cached_run_does_not_load_the_model_client() -> None:
    # openai's types take most of a second to import; only a run that asks the model pays for them.
    probe = "import sys, encore, encore._cli\nprint('openai' in sys.modules, 'instructor' in sys.modules)\n"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "False False"
