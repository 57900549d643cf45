"""An independent secret scanner: it decodes what an artefact may hide a secret in and looks in every view.

Deliberately not built on `tracer.Redactor` (a scan that shares the redactor's idea of a spelling would
only prove the redactor agrees with itself). It decodes instead of encoding: zip entries, SQLite rows,
base64 runs at every offset, URL encoding (with and without `+`), HTML entities (twice: an escaped excerpt
in an escaped report), JSON and Python string escapes, and Unicode NFC/NFD; each decoded view is decoded
again, to a fixed depth.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import html
import io
import re
import sqlite3
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import unquote, unquote_plus

__all__ = ["Scanner"]

_B64_RUN = re.compile(rb"[A-Za-z0-9+/_-]{8,}={0,2}")
_PY_ESCAPES = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\'\"nrt])")


class Scanner:
    """`Scanner(secret).where(blob)` lists the views of `blob` that hold the secret (empty: clean)."""

    def __init__(self, secret: str, depth: int = 2) -> None:
        self.forms = {unicodedata.normalize(form, secret.strip()) for form in ("NFC", "NFD")}
        self.depth = depth
        # Binary data (images, base64 of images) holds any two given bytes by chance: a secret of fewer than
        # 4 characters is looked for in text only, where finding it means something.
        self.binary = len(secret.strip()) >= 4

    # --- files ----------------------------------------------------------------

    def file(self, path: Path) -> list[str]:
        data = path.read_bytes()
        found = [f"{path}: {view}" for view in self.where(data)]
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for name in archive.namelist():
                    found += [f"{path}!{name}: {view}" for view in self.where(archive.read(name))]
        if data.startswith(b"SQLite format 3\x00"):
            found += [f"{path} (rows): {view}" for view in self.where(_sqlite_rows(path).encode("utf-8", "surrogatepass"))]
        return found

    def tree(self, root: Path) -> tuple[int, list[str]]:
        """(files scanned, findings) for every file under `root`."""
        files = [p for p in sorted(root.rglob("*")) if p.is_file()]
        return len(files), [finding for p in files for finding in self.file(p)]

    # --- blobs ----------------------------------------------------------------

    def where(self, blob: bytes | str) -> list[str]:
        data = blob.encode("utf-8", "surrogatepass") if isinstance(blob, str) else blob
        return sorted(set(self._scan(data, "raw", self.depth)))

    def _scan(self, data: bytes, label: str, depth: int) -> list[str]:
        found: list[str] = []
        if not self.binary and not _is_text(data):
            return found
        text = data.decode("utf-8", "replace")
        for name, view in _text_views(text).items():
            if any(form in view for form in self.forms):
                found.append(f"{label}/{name}")
            if depth > 0 and name != "text":  # only views that decoded something (see _text_views)
                found += self._scan(view.encode("utf-8", "surrogatepass"), f"{label}/{name}", depth - 1)
        if depth > 0:
            for index, decoded in enumerate(_base64_runs(data) if self.binary else []):
                found += self._scan(decoded, f"{label}/base64#{index}", depth - 1)
        return found


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _text_views(text: str) -> dict[str, str]:
    """The text as it reads once each encoding is undone; a view that changes nothing is left out."""
    views = {"text": text}
    if "&" in text:
        views["html"] = html.unescape(html.unescape(text))
    if "%" in text:
        views["url"] = unquote(text)
    if "%" in text or "+" in text:
        views["form"] = unquote_plus(text)
    if "\\" in text:
        views["json"] = _unescape_json(text)
        views["python"] = _PY_ESCAPES.sub(lambda m: _python_escape(m.group(0)), text)
    return {name: view for name, view in views.items() if name == "text" or view != text}


_JSON_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|["\\/bfnrt])')
_JSON_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _unescape_json(text: str) -> str:
    """JSON string escapes undone everywhere in the text (surrogate pairs joined)."""
    out = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "u" else _JSON_SIMPLE[m.group(1)], text)
    return out.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _python_escape(escape: str) -> str:
    try:
        return codecs.decode(escape, "unicode_escape")
    except UnicodeDecodeError:
        return escape


def _looks_encoded(run: bytes) -> bool:
    """Base64 of text mixes cases and digits; a plain word (`playwright`, `undefined`) does not."""
    return any(c.isupper() for c in run.decode()) and (any(c.islower() for c in run.decode()) or any(c.isdigit() for c in run.decode()))


def _mostly_text(data: bytes) -> bool:
    text = data.decode("utf-8", "replace")
    return bool(text) and text.count("\ufffd") <= len(text) // 10  # the edges of a slice may be cut characters


def _base64_runs(data: bytes) -> list[bytes]:
    """The text hidden in base64 runs (binary payloads such as images are not text and are skipped)."""
    out = []
    for match in _B64_RUN.finditer(data):
        if not _looks_encoded(match.group(0)):
            continue
        run = match.group(0).replace(b"-", b"+").replace(b"_", b"/").rstrip(b"=")
        for offset in range(4):  # the secret's bytes may start at any alignment of a longer value
            chunk = run[offset:]
            chunk = chunk[:-1] if len(chunk) % 4 == 1 else chunk  # one spare character carries no byte
            padded = chunk + b"=" * (-len(chunk) % 4)
            try:
                decoded = base64.b64decode(padded)
            except (binascii.Error, ValueError):
                continue
            if _mostly_text(decoded):
                out.append(decoded)
    return out


def _sqlite_rows(path: Path) -> str:
    """Every value of every table, read through SQLite (a copy, so the WAL is applied and nothing changes)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        copy.write_bytes(path.read_bytes())
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            copy.with_name(copy.name + "-wal").write_bytes(wal.read_bytes())
        try:
            db = sqlite3.connect(copy)
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            rows = [repr(row) for table in tables for row in db.execute(f'SELECT * FROM "{table}"')]
            db.close()
        except sqlite3.Error:
            return ""
    return "\n".join(rows)
