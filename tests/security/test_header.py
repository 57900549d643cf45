"""Class 1, code execution through the header: no trace text can declare the generated file's encoding.

Python reads a `coding:` declaration from a comment on line 1 or 2. Every codec Python accepts as such a
cookie, spelled every way it can be (a `-*-` line, after a BOM, a form feed, `\\r` or `\\r\\n` line ends,
U+2028 or U+0085), is put into every text field of a trace at once, with a payload that runs code under
UTF-7, unicode_escape or raw_unicode_escape. The file must decode as UTF-8, start with the fixed header,
have the syntax tree of a harmless trace, and run nothing when imported or run.
"""

from __future__ import annotations

import ast
import builtins
import codecs
import encodings.aliases
import io
import tokenize
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.async_api import Page

from codegen import compile_trace
from codegen._module import HEADER
from runtime import DivergenceError, Options, load_params, load_script
from tracer import Trace

from ..codegen.test_fuzz import SLOTS, _skeleton, _trace

# Each payload assigns builtins.PWNED when its codec decodes it as source.
_PAYLOADS = [
    "+AAo-import builtins+ADs-builtins.PWNED+AD0-1+AAo-",  # utf-7: +AAo- is a newline
    "\\nimport builtins;builtins.PWNED=1\\n",  # unicode_escape
    "\\u000aimport builtins;builtins.PWNED=1\\u000a",  # raw_unicode_escape
]
VARIANTS: dict[str, Callable[[str], str]] = {
    "bare": lambda codec: f"x coding:{codec} ",
    "emacs": lambda codec: f"# -*- coding: {codec} -*-",
    "bom": lambda codec: f"\ufeff# coding={codec}",
    "form feed": lambda codec: f"\x0c# vim: set fileencoding={codec} :",
    "cr": lambda codec: f"title\r# coding: {codec}",
    "crlf": lambda codec: f"title\r\n# coding: {codec}",
    "u2028": lambda codec: f"title\u2028# coding: {codec}",
    "nel": lambda codec: f"title\x85# coding: {codec}",
}


def _accepted_codecs() -> list[str]:
    """One name for every codec Python accepts in a coding cookie."""
    names = set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()) | {
        "utf-7", "unicode_escape", "raw_unicode_escape", "utf-8-sig", "latin-1", "cp1252",
    }
    found: dict[str, str] = {}
    for name in sorted(names):
        try:
            canonical = codecs.lookup(name).name
            compile(f"# coding: {name}\nx = 1\n".encode("ascii"), "<cookie>", "exec")
        except (LookupError, SyntaxError, ValueError, UnicodeDecodeError):
            continue
        found.setdefault(canonical, name)
    return sorted(found.values())


CODECS = _accepted_codecs()


def _hostile(variant: str) -> str:
    spell = VARIANTS[variant]
    return "\n".join(spell(codec) + _PAYLOADS[i % len(_PAYLOADS)] for i, codec in enumerate(CODECS))


def test_the_codecs_include_those_that_turn_text_into_code() -> None:
    accepted = {codecs.lookup(name).name for name in CODECS}
    for name in ("utf-7", "unicode_escape", "raw_unicode_escape", "latin-1", "cp1252", "utf-8-sig"):
        assert codecs.lookup(name).name in accepted, name
    assert len(accepted) > 60


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_cookie_in_every_field_changes_nothing(variant: str, tmp_path: Path) -> None:
    text = _hostile(variant)
    data = _trace({slot: text for slot in SLOTS})
    data["id"] = text
    source = compile_trace(Trace.model_validate(data)).source
    benign = compile_trace(Trace.model_validate(_trace({slot: "x" for slot in SLOTS}))).source

    assert tuple(source.split("\n", 2)[:2]) == HEADER
    encoding, _ = tokenize.detect_encoding(io.BytesIO(source.encode("utf-8")).readline)
    assert encoding == "utf-8"
    assert _skeleton(source) == _skeleton(benign)
    assert {type(node) for node in ast.parse(source).body} <= {
        ast.Expr, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.ClassDef, ast.AsyncFunctionDef
    }

    script = tmp_path / "hostile.py"
    script.write_bytes(source.encode("utf-8"))
    assert not hasattr(builtins, "PWNED")
    module = load_script(script)  # Python's own import: it honours whatever cookie the file carries
    assert not hasattr(builtins, "PWNED") and module.Params and module.run


async def test_running_a_hostile_script_runs_only_its_steps(page: Page, tmp_path: Path) -> None:
    text = _hostile("crlf")
    data = _trace({slot: text for slot in SLOTS})
    data["blocks"][0]["steps"][0]["action"]["url"] = "about:blank"  # a goto that works, then the hostile steps
    script = tmp_path / "hostile.py"
    script.write_bytes(compile_trace(Trace.model_validate(data)).source.encode("utf-8"))
    module = load_script(script)
    params = load_params(module, {"who": "x"})
    with pytest.raises(DivergenceError):
        await module.run(page, params, Options(locate_timeout=0.2, action_timeout=1, postcondition_timeout=0.2))
    assert not hasattr(builtins, "PWNED")
