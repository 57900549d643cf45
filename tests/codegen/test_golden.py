"""Every trace in tests/traces compiles to golden/<case>.py, and that output is sound.

Update the goldens after an intended change with: pytest tests/codegen/test_golden.py --snapshot-update
"""

from __future__ import annotations

import ast
from pathlib import Path

import black
import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from syrupy.location import PyTestLocation

from codegen import BLACK_MODE, compile_trace
from tracer import Trace, load_trace

from ..conftest import GOLDEN, TRACES

CASES = sorted(TRACES.glob("*.json"))


class GoldenPython(SingleFileSnapshotExtension):
    """golden/<case>.py: real Python files, reviewable and importable."""

    _write_mode = WriteMode.TEXT
    file_extension = "py"

    @classmethod
    def dirname(cls, *, test_location: PyTestLocation) -> str:
        return str(GOLDEN)

    @classmethod
    def get_snapshot_name(cls, *, test_location: PyTestLocation, index: object = 0) -> str:
        return test_location.testname.split("[", 1)[1].rstrip("]")


@pytest.fixture
def golden(snapshot):
    return snapshot.use_extension(GoldenPython)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden(path: Path, golden) -> None:
    assert compile_trace(load_trace(path)).source == golden


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_output_parses_compiles_and_is_black_stable(path: Path) -> None:
    source = compile_trace(load_trace(path)).source
    tree = ast.parse(source)
    compile(tree, path.stem, "exec")
    assert black.format_str(source, mode=BLACK_MODE) == source


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_generation_is_byte_deterministic(path: Path) -> None:
    trace = load_trace(path)
    first = compile_trace(trace).source
    again = compile_trace(Trace.model_validate_json(trace.model_dump_json())).source
    assert first.encode() == again.encode() == compile_trace(trace).source.encode()


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_script_imports_only_runtime_playwright_pydantic(path: Path) -> None:
    tree = ast.parse(compile_trace(load_trace(path)).source)
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert modules <= {"pathlib", "typing", "playwright.async_api", "pydantic", "runtime"}


def test_every_golden_has_a_trace() -> None:
    assert {p.stem for p in GOLDEN.glob("*.py")} == {p.stem for p in CASES}
