"""The one redactor: every spelling of a secret, in text, bytes, URLs and JSON-shaped data; weak secrets."""

from __future__ import annotations

import base64
import html
import json
import unicodedata
from urllib.parse import quote, quote_plus, urlencode

import pytest

from tracer import Redactor, is_weak_secret, load_trace, redact, redact_trace

from ..conftest import TRACES

SECRET = "Zq~9*é &<>\"'\\+ x"


def _spellings(secret: str) -> dict[str, str]:
    raw = secret.encode()
    return {
        "raw": secret,
        "json": json.dumps(secret)[1:-1],
        "json, non-ASCII kept": json.dumps(secret, ensure_ascii=False)[1:-1],
        "json, upper-case hex": json.dumps(secret)[1:-1].replace("\\u00e9", "\\u00E9"),
        "json in json": json.dumps(json.dumps(secret))[1:-1],
        "repr": repr(secret)[1:-1],
        "ascii()": ascii(secret)[1:-1],
        "quote": quote(secret, safe=""),
        "quote, lower-case hex": quote(secret, safe="").lower(),
        "quote_plus": quote_plus(secret),
        "browser form (~ as %7E, * kept)": "Zq%7E9*%C3%A9+%26%3C%3E%22%27%5C%2B+x",
        "html": html.escape(secret),
        "html twice": html.escape(html.escape(secret)),
        "html entities, numeric": "".join(f"&#{ord(c)};" for c in secret),
        "html named é": html.escape(secret).replace("é", "&eacute;"),
        "json in html": html.escape(json.dumps(secret)),
        "url of json": quote(json.dumps(secret)),
        "NFD": unicodedata.normalize("NFD", secret),
        "whitespace collapsed": secret.replace(" ", "\n  "),
        "base64": base64.b64encode(raw).decode(),
        "base64url, unpadded": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "basic auth": base64.b64encode(b"user:" + raw).decode(),
        "basic auth, other alignment": base64.b64encode(b"ab:" + raw).decode(),
        "inside longer base64, shift 0": base64.b64encode(b"xyz" + raw + b"tail-data").decode(),
        "inside longer base64, shift 1": base64.b64encode(b"x" + raw + b"tail-data").decode(),
        "inside longer base64, shift 2": base64.b64encode(b"xy" + raw + b"tail-data").decode(),
    }


@pytest.mark.parametrize(("name", "spelled"), sorted(_spellings(SECRET).items()))
def test_every_spelling_is_redacted(name: str, spelled: str) -> None:
    text = f"before {spelled} after"
    out = Redactor({"password": SECRET})(text)
    assert out != text and "***" in out, name
    assert out.startswith("before ") and out.endswith(" after")  # only the secret went
    core = spelled if "base64" not in name else base64.b64encode(SECRET.encode()).decode()[4:16]
    assert core not in out


def test_bytes_text_and_placeholders() -> None:
    redactor = Redactor({"password": SECRET}, lambda name: f"[secret:{name}]")
    assert redactor.bytes(f"a {SECRET} b".encode()) == b"a [secret:password] b"
    assert redact(f"x{quote_plus(SECRET)}y", {"pw": SECRET}) == "x***y"
    assert Redactor({})("anything") == "anything" and not Redactor({})


def test_urls_lose_secret_valued_parts_even_for_weak_secrets() -> None:
    redactor = Redactor({"password": SECRET, "pin": "0"})
    query = urlencode({"user": "ada", "password": SECRET, "page": "1", "pin": "0"})
    assert redactor.url(f"https://h/session?{query}#{quote(SECRET)}") == "https://h/session?user=ada&password=*&page=1&pin=*#*"
    assert redactor.url(f"https://ada:{quote(SECRET)}@h/x") == "https://ada:*@h/x"
    assert redactor.text("went to https://h/login?pin=0 then") == "went to https://h/login?pin=*** then"


def test_weak_secrets_are_replaced_only_where_they_are_the_whole_value() -> None:
    assert all(is_weak_secret(s) for s in ("0", "§", "abc", "true", "code", " Code ", "password"))
    assert not any(is_weak_secret(s) for s in ("é&~*", "Zq9!", SECRET))
    redactor = Redactor({"pin": "0", "word": "code"})
    assert redactor.weak == ["pin", "word"] and len(redactor.warnings()) == 2
    data = {"mode": "code", "value": "code", "note": "run with code 0", "items": ["0", 10, "x"]}
    assert redactor.data(data) == {"mode": "code", "value": "***", "note": "run with code 0", "items": ["***", 10, "x"]}
    assert redactor.text("run with code 0") == "run with code 0"
    assert redactor.found("0") and not redactor.found("10")


def test_data_keeps_enumerations_and_structure() -> None:
    redactor = Redactor({"password": SECRET})
    data = {"status": "failed", f"key {SECRET}": [f"x{SECRET}", {"kind": "fill"}], "n": 3}
    assert redactor.data(data) == {"status": "failed", "key ***": ["x***", {"kind": "fill"}], "n": 3}


def test_a_trace_keeps_its_references_and_loses_captured_secrets() -> None:
    trace = load_trace(TRACES / "login.json")
    data = trace.model_dump(mode="json")
    data["title"] = f"typed {SECRET}"
    data["blocks"][0]["steps"][3]["url_after"] = f"http://127.0.0.1:8765/dashboard?{urlencode({'pw': SECRET})}"
    data["blocks"][0]["steps"][3]["postconditions"] = [{"kind": "url", "pattern": f"**/dashboard?pw={quote_plus(SECRET)}"}]
    clean = redact_trace(type(trace).model_validate(data), {"password": SECRET})
    assert clean.title == "typed ***"
    assert clean.blocks[0].steps[3].url_after.endswith("?pw=*")
    assert clean.blocks[0].steps[3].postconditions[0].pattern == "**/dashboard?pw=*"  # still a pattern that matches
    assert [p.name for p in clean.parameters] == ["email", "password"]
    assert clean.blocks[0].steps[2].action.value.name == "password"
    assert redact_trace(trace, {"password": "password"}) == trace  # a weak secret named like its parameter
