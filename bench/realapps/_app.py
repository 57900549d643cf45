"""What the suite needs from an application: its releases, its flow, how to run it and read its state."""

from __future__ import annotations

import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ._flow import Flow
from ._server import Server, free_port
from ._venv import CACHE, ensure_venv

__all__ = ["App", "Data", "Instance", "Release"]

Data = Literal["base", "extra"]
"""`base`: the data the flow is recorded on; `extra`: more records first, so every new id differs."""


@dataclass(frozen=True)
class Release:
    version: str
    requirements: tuple[str, ...]


@dataclass(frozen=True)
class Instance:
    """A running release: where it answers and where its database lies."""

    base_url: str
    database: Path


class App(ABC):
    """One real application, in two releases whose markup differs."""

    key: str
    name: str
    releases: tuple[Release, Release]
    flow: Flow

    def home(self, release: Release) -> Path:
        return CACHE / f"{self.key}-{release.version}"

    def prepare(self, release: Release) -> Path:
        """Install the release (once) and build its seeded databases (once); returns its folder."""
        venv = ensure_venv(f"{self.key}-{release.version}", list(release.requirements))
        home = self.home(release)
        marker = home / ".realapps-seeded"
        if not marker.is_file():
            self.build(venv, home)
            marker.write_text("ok", encoding="utf-8")
        return home

    @contextmanager
    def running(self, release: Release, data: Data, folder: Path) -> Iterator[Instance]:
        """A fresh copy of the seeded database, served on a free port of 127.0.0.1 until the block ends."""
        home = self.prepare(release)
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        database = self.copy_data(home, data, folder, port)
        command, url, env = self.command(home, folder, database, port)
        with Server(command, url, cwd=folder, log=folder / "server.log", env=env):
            yield Instance(base_url=f"http://127.0.0.1:{port}", database=database)

    def copy_data(self, home: Path, data: Data, folder: Path, port: int) -> Path:
        target = folder / f"{data}.sqlite3"
        shutil.copyfile(home / f"{data}.sqlite3", target)
        return target

    @abstractmethod
    def build(self, venv: Path, home: Path) -> None:
        """Make `home/base.sqlite3` and `home/extra.sqlite3` (and whatever else serving needs)."""

    @abstractmethod
    def command(self, home: Path, folder: Path, database: Path, port: int) -> tuple[list[str], str, dict[str, str]]:
        """The server's command line, a URL that answers once it is up, and its environment."""

    @abstractmethod
    def records(self, database: Path) -> dict[str, dict[str, Any]]:
        """The application's own state for the flow's kind of record: key -> fields."""

    @abstractmethod
    def expected(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The fields the record created with these parameters must have."""
