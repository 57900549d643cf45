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


def test_importing_a_package_loads_nothing_above_it() -> None:
    probes = {
        package: f"import sys, {package}\nprint(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(above)!r})))"
        for package, above in FORBIDDEN.items()
    }
    # What only a run that asks the model needs: openai's types take most of a second to import.
    probes["encore (a cached run)"] = "import sys, encore, encore._cli\nprint(sorted({'openai', 'instructor'} & set(sys.modules)))"
    running = {name: subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=ROOT)
               for name, code in probes.items()}  # all at once: each is a fresh interpreter
    loaded = {name: process.communicate(timeout=120)[0].strip() for name, process in running.items()}
    assert loaded == dict.fromkeys(probes, "[]")
