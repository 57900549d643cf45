"""`encore serve` refuses what cannot work in one line, exit 2, before listening on anything."""

from __future__ import annotations

from pathlib import Path

import pytest

from encore._cli import main


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--worker", "queue"], "workers and the queue need a PostgreSQL store"),
        (["--concurrency", "0"], "--concurrency must be at least 1"),
        (["--webhook-attempts", "0"], "--webhook-attempts must be at least 1"),
        (["--store", "mysql://db/encore"], "a store is a SQLite file path or a postgresql:// URL"),
    ],
)
def test_serve_refuses_a_setup_that_cannot_work(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--store", str(tmp_path / "store.sqlite")] if "--store" not in arguments else []
    assert main(["serve", *store, *arguments]) == 2
    out, err = capsys.readouterr()
    assert message in err and err.count("\n") == 1 and "Traceback" not in err and out == ""
