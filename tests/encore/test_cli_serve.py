"""`encore serve` refuses what cannot work in one line, exit 2, before listening on anything; `encore keys`
makes, lists and revokes keys, with main's one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from encore._cli import main


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--worker", "queue"], "workers and the queue need a PostgreSQL store"),
        (["--concurrency", "0"], "--concurrency must be at least 1"),
        (["--webhook-attempts", "0"], "--webhook-attempts must be at least 1"),
        (["--port", "99999999"], "--port 99999999: a port is 1 to 65535"),
        (["--port", "eighty"], "argument --port: invalid int value"),
        (["--store", "mysql://db/encore"], "a store is a SQLite file path or a postgresql:// URL"),
        (["--worker-nice", "20"], "--worker-nice 20: expected 0 to 19"),
        (["--processes", "0"], "--processes must be at least 1"),
        (["--processes", "2"], "--processes 2: several server processes need the queue"),
    ],
)
def test_serve_refuses_a_setup_that_cannot_work(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(tmp_path / "store.sqlite")] if "--store" not in arguments else []
    assert _exit_code(["serve", *store, *arguments]) == 2
    out, err = capsys.readouterr()
    assert message in err and err.count("\n") == 1 and "Traceback" not in err and out == ""


def test_keys_are_made_listed_and_revoked_and_bad_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(tmp_path / "store.sqlite")]
    assert main(["keys", "create", "--name", "ci", "--read-only", *store]) == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert key and key not in err and "shown once" in err
    assert main(["keys", "ls", "--json", *store]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["name"] == "ci" and listed["scope"] == "read" and key not in json.dumps(listed)
    assert main(["keys", "revoke", listed["id"], *store]) == 0
    assert "revoked key" in capsys.readouterr().out
    for argv, message in ((["keys", "revoke", "nope", *store], "no API key with id nope"),
                          (["keys", "create", *store], "the following arguments are required: --name")):
        code = _exit_code(argv)
        out, err = capsys.readouterr()
        assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err and out == ""


def _exit_code(argv: list[str]) -> int:
    """`main`'s exit code, whether it returns it or argparse exits with it."""
    try:
        return main(argv)
    except SystemExit as exited:
        return int(exited.code or 0)
