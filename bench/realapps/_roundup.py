"""Roundup's issue tracker (classic template): file an issue, see it in the issue list, open it."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tracer import param, secret

from ._app import App, Data, Release
from ._flow import Flow, FlowStep

__all__ = ["Roundup"]

# roundup-server refuses to run as root; its own WSGI entry point, served by the standard library, does not.
SERVE = """
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from roundup.cgi.wsgi_handler import RequestDispatcher

class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

make_server("127.0.0.1", int(sys.argv[2]), RequestDispatcher(sys.argv[1]), Server, Quiet).serve_forever()
"""

# `extra` files issues and re-creates the "bug" priority first, so the new issue's id, its message's
# id and the option value behind "bug" all differ from the recording's.
SEED = {
    "base": [["create", "issue", "title=Printer on fire", "priority=1"]],
    "extra": [
        ["retire", "priority3"],
        ["create", "priority", "name=bug", "order=3"],
        *[["create", "issue", f"title=Old report {n}", "priority=2"] for n in range(5)],
        ["create", "issue", "title=Printer on fire", "priority=1"],
    ],
}


def _flow() -> Flow:
    def field(name: str) -> Any:
        return lambda page, _: page.locator(f'[name="{name}"]')

    steps = (
        FlowStep("goto", "Open the tracker", value="/"),
        FlowStep("fill", "Type the user name", field("__login_name"), param("username")),
        FlowStep("fill", "Type the password", field("__login_password"), secret("password")),
        FlowStep("click", "Log in", lambda p, _: p.get_by_role("button", name="Login", exact=True)),
        FlowStep("click", "Start a new issue", lambda p, _: p.locator('a[href="issue?@template=item"]'),
                 url=r"/issue\?@template=item$"),
        FlowStep("fill", "Type the title", field("title"), param("title")),
        FlowStep("select", "Mark it as a bug", field("priority"), "bug"),
        FlowStep("select", "Set it in progress", field("status"), "in-progress"),
        FlowStep("select", "Assign it to the admin", field("assignedto"), "admin"),
        FlowStep("fill", "Describe the problem", field("@note"), param("note")),
        FlowStep("click", "Submit the issue", lambda p, _: p.get_by_role("button", name="Submit New Entry"),
                 url=r"/issue\d+(\?|$)"),
        FlowStep("assert_text", "The tracker confirms the new issue and its message", lambda p, _: p.locator(".ok-message"),
                 re.compile(r"msg ?\d+ created\s+issue ?\d+ created")),
        FlowStep("click", "List every issue", lambda p, _: p.get_by_role("link", name="Show All", exact=True),
                 url=r"/issue\?"),
        FlowStep("assert_text", "The new issue is in the list", lambda p, _: p.locator("table.list"),
                 lambda v: str(v["title"])),
        FlowStep("click", "Open the new issue", lambda p, v: p.get_by_role("link", name=str(v["title"]), exact=True),
                 url=r"/issue\d+$"),
    )
    return Flow(
        name="roundup-issue",
        title="File an issue in Roundup and find it in the list",
        steps=steps,
        record_params={"username": "admin", "title": "Login page shows a stack trace",
                       "note": "Seen after the upgrade on Tuesday."},
        replay_params={"username": "admin", "title": "Search ignores accented letters",
                       "note": "Searching for café finds nothing."},
        secrets={"password": "adminpw"},
    )


class Roundup(App):
    key = "roundup"
    name = "Roundup tracker"
    releases = (Release("2.2.0", ("roundup==2.2.0",)), Release("2.6.0", ("roundup==2.6.0",)))
    flow = _flow()

    def build(self, venv: Path, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / "serve.py").write_text(SERVE, encoding="utf-8")
        admin = str(venv / "bin" / "roundup-admin")
        found = sorted(venv.rglob("share/roundup/templates/classic"))
        if not found:
            raise RuntimeError(f"{venv}: roundup installed without its templates")
        for data, commands in SEED.items():
            tracker = home / f"{data}-tracker"
            shutil.rmtree(tracker, ignore_errors=True)
            options = "tracker_web=http://127.0.0.1:1/,mail_domain=localhost"
            for command in (["install", "classic", "sqlite", options], ["initialise", "adminpw"], *commands):
                # roundup-admin also lists the templates found in its working directory.
                subprocess.run([admin, "-i", str(tracker), *command], cwd=found[0].parent, check=True,
                               capture_output=True, timeout=300)

    def copy_data(self, home: Path, data: Data, folder: Path, port: int) -> Path:
        tracker = folder / "tracker"
        shutil.rmtree(tracker, ignore_errors=True)
        shutil.copytree(home / f"{data}-tracker", tracker)
        # Roundup checks that each form comes from its configured address (CSRF): it must be this port's.
        config = tracker / "config.ini"
        text = re.sub(r"(?m)^web = .*$", f"web = http://127.0.0.1:{port}/", config.read_text(encoding="utf-8"))
        config.write_text(text, encoding="utf-8")
        return tracker / "db" / "db"

    def command(self, home: Path, folder: Path, database: Path, port: int) -> tuple[list[str], str, dict[str, str]]:
        python = str(home / "venv" / "bin" / "python")
        return [python, str(home / "serve.py"), str(folder / "tracker"), str(port)], f"http://127.0.0.1:{port}/", {}

    def records(self, database: Path) -> dict[str, dict[str, Any]]:
        with sqlite3.connect(database) as db:
            rows = db.execute(
                "SELECT i.id, i._title, p._name, s._name, u._username, i.__retired__,"
                " (SELECT group_concat(m._content) FROM issue_messages im JOIN _msg m ON m.id = im.linkid"
                "  WHERE im.nodeid = i.id)"
                " FROM _issue i LEFT JOIN _priority p ON p.id = i._priority LEFT JOIN _status s ON s.id = i._status"
                " LEFT JOIN _user u ON u.id = i._assignedto"
            ).fetchall()
        names = ("title", "priority", "status", "assignedto", "retired", "messages")
        return {str(row[0]): dict(zip(names, row[1:])) for row in rows}

    def expected(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"title": params["title"], "priority": "bug", "status": "in-progress", "assignedto": "admin",
                "retired": 0}
