"""Secrets out of the Playwright trace.zip: it records typed values, page snapshots and network traffic.

Request bodies and credential headers are dropped, not scrubbed: reading a run back needs the pages and
the actions, never what a form posted or an `Authorization` header carried. Every other entry is redacted:
the JSON event files value by value (so a weak secret typed by `fill` is replaced where it is the whole
value), the other files by every spelling of every secret.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from tracer import Redactor

__all__ = ["scrub_zip"]

_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})
# Fields of trace events that are Playwright's own identifiers, never page data.
_KEEP = frozenset({"type", "method", "class", "callId", "pageId", "frameId", "phase", "apiName", "kind"})
_LOGGED_CALL = re.compile(r'^(\s*\w+\()(".*")(\)\s*)$')  # Playwright logs `fill("the value")`


def scrub_zip(path: Path, secrets: dict[str, str] | Redactor) -> None:
    """Rewrite the archive atomically: request bodies and credentials dropped, every secret redacted."""
    redactor = secrets if isinstance(secrets, Redactor) else Redactor(secrets)
    with zipfile.ZipFile(path) as source:
        bodies: set[str] = set()
        events = {
            info.filename: _events(source.read(info), redactor, bodies)
            for info in source.infolist()
            if info.filename.endswith((".trace", ".network"))
        }
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    if Path(info.filename).name in bodies:
                        continue
                    data = events.get(info.filename)
                    target.writestr(info, data if data is not None else redactor.bytes(source.read(info)))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _events(data: bytes, redactor: Redactor, bodies: set[str]) -> bytes:
    """A JSON-lines event file, redacted event by event."""
    out = []
    for line in data.decode("utf-8", "surrogateescape").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            out.append(redactor.text(line))
            continue
        _drop_bodies(event, bodies)
        event = redactor.data(event, keep=_KEEP)
        if event.get("type") == "log" and isinstance(event.get("message"), str):
            event["message"] = _logged_value(event["message"], redactor)
        out.append(json.dumps(event, ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(out) + "\n").encode("utf-8", "surrogateescape")


def _drop_bodies(event: Any, bodies: set[str]) -> None:
    """Remove request bodies (remembering the resource files holding them) and credential header values."""
    snapshot = event.get("snapshot") if isinstance(event, dict) else None
    if not isinstance(snapshot, dict):
        return
    request = snapshot.get("request")
    if isinstance(request, dict):
        body = request.pop("postData", None)
        if isinstance(body, dict):  # the body's file: `_file` (a path in the zip) or, in older traces, `_sha1`
            bodies.update(Path(str(body[key])).name for key in ("_file", "_sha1") if body.get(key))
        if "bodySize" in request:
            request["bodySize"] = 0
    for part in (request, snapshot.get("response")):
        if isinstance(part, dict) and isinstance(part.get("headers"), list):
            for header in part["headers"]:
                if isinstance(header, dict) and str(header.get("name", "")).lower() in _CREDENTIAL_HEADERS:
                    header["value"] = "***"


def _logged_value(message: str, redactor: Redactor) -> str:
    """`fill("value")` with the value replaced when it is exactly a secret (a weak one included)."""
    match = _LOGGED_CALL.match(message)
    if not match:
        return message
    try:
        value = json.loads(match.group(2))
    except ValueError:
        return message
    redacted = redactor.data(value)
    return message if redacted == value else f"{match.group(1)}{json.dumps(redacted)}{match.group(3)}"
