"""Secrets out of the Playwright trace.zip: it records typed values, form posts and DOM snapshots."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

__all__ = ["scrub_zip", "spellings"]


def spellings(secret: str) -> set[bytes]:
    """The forms a secret takes in files: raw, JSON- and repr-escaped, URL-encoded (a posted form)."""
    forms = {secret, json.dumps(secret)[1:-1], repr(secret)[1:-1], quote(secret, safe=""), quote_plus(secret)}
    return {form.encode("utf-8") for form in forms if form}


def scrub_zip(path: Path, secrets: dict[str, str]) -> None:
    """Rewrite the archive with every spelling of every secret replaced by ***, atomically."""
    forms = sorted({form for value in secrets.values() if value for form in spellings(value)}, key=len, reverse=True)
    if not forms:
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                for form in forms:
                    data = data.replace(form, b"***")
                target.writestr(info, data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
