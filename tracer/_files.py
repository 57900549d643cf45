"""Reading traces with precise errors, and writing any file atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ._limits import ShapeError, check_shape, loads_json
from ._model import Trace

__all__ = [
    "TraceError",
    "canonical_json",
    "load_trace",
    "parse_trace",
    "trace_from_data",
    "trace_sha256",
    "validation_problems",
    "write_atomic",
    "write_trace",
]


class TraceError(ValueError):
    """A trace that cannot be read; the message names the source and the field path."""


def parse_trace(text: str, source: str = "<trace>") -> Trace:
    """A trace from JSON text; TraceError names the field path of the first problem."""
    try:
        data = loads_json(text, source)
    except ShapeError as exc:
        raise TraceError(str(exc)) from None
    return trace_from_data(data, source)


def trace_from_data(data: Any, source: str = "<trace>") -> Trace:
    """A trace from already-parsed JSON data; TraceError names the field path."""
    try:
        check_shape(data, source)
        return Trace.model_validate(data)
    except ShapeError as exc:
        raise TraceError(str(exc)) from None
    except ValidationError as exc:
        # One line: the file, then each cause with its field path.
        raise TraceError(f"{source}: invalid trace: {'; '.join(validation_problems(exc))}") from None


def load_trace(path: str | os.PathLike[str]) -> Trace:
    """A trace from a file; TraceError when it cannot be read or is not a valid trace."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TraceError(f"{path}: cannot read: {exc}") from None
    return parse_trace(text, str(path))


def validation_problems(exc: ValidationError) -> list[str]:
    """Each cause as `at <field path>: <message>`, never echoing the input (it may hold a secret)."""
    errors = exc.errors(include_url=False, include_input=False)
    lines = []
    for error in errors:
        loc = error["loc"]
        # A list whose items all failed also reports "too short": a consequence, not a cause.
        if error["type"] == "too_short" and any(len(e["loc"]) > len(loc) and e["loc"][: len(loc)] == loc for e in errors):
            continue
        # Union members appear as path items named after the tag; kept, they say which kind.
        location = ".".join(str(part) for part in loc) or "(top level)"
        lines.append(f"at {location}: {error['msg']}")
    return lines


def canonical_json(trace: Trace) -> str:
    """The trace as sorted, compact JSON: the input of its content hash."""
    data = trace.model_dump(mode="json")
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def trace_sha256(trace: Trace) -> str:
    """The SHA-256 of the trace's canonical JSON (what a generated script's header names)."""
    return hashlib.sha256(canonical_json(trace).encode("utf-8", "surrogatepass")).hexdigest()


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write to a temporary file beside `path`, then rename: readers never see half a file."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_trace(trace: Trace, path: str | os.PathLike[str]) -> None:
    """Write the trace as indented JSON, atomically."""
    text = json.dumps(trace.model_dump(mode="json", exclude_defaults=False), indent=2, ensure_ascii=False)
    write_atomic(path, text + "\n")
