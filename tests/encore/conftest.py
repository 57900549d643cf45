"""Store fixtures: a real PostgreSQL server for the session (from the installed binaries), a fresh database
per test, and `store_location` to run a test on both backends."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from examples.postgres import PostgresServer, find_bin

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if find_bin() is None:
        pytest.skip("no PostgreSQL binaries (pg_ctl) on this machine: ./setup.sh installs Debian's postgresql")
    with PostgresServer() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A new, empty database."""
    return postgres_server.database(f"test_{next(_databases)}")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")
