"""Wagtail's admin (redirects): add a redirect through the sidebar menu, find it in the listing."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tracer import param, secret

from ._app import App, Release
from ._flow import Flow, FlowStep

__all__ = ["Wagtail"]

SETTINGS = """
import os
DATABASES["default"]["NAME"] = os.environ["REALAPPS_DB"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
"""

# `extra` adds redirects, and re-creates the default site after another one, so the new redirect's id
# and the option value behind the default site both differ from the recording's.
SEED = """
import sys, django
django.setup()
from django.contrib.auth.models import User
from wagtail.models import Page, Site
from wagtail.contrib.redirects.models import Redirect
User.objects.create_superuser("admin", "admin@example.com", "adminpw")
site = Site.objects.get(is_default_site=True)
if sys.argv[1] == "extra":
    root = site.root_page
    Site.objects.create(hostname="docs.example.com", port=80, root_page=root, site_name="Docs")
    site.delete()
    site = Site.objects.create(hostname="localhost", port=80, root_page=root, is_default_site=True)
    for n in range(4):
        Redirect.objects.create(old_path=f"/archive-{n}", redirect_link=f"https://example.com/{n}", site=site)
Redirect.objects.create(old_path="/old-home", redirect_link="https://example.com/", site=site)
"""


def _flow() -> Flow:
    steps = (
        FlowStep("goto", "Open the admin's sign-in page", value="/admin/login/"),
        FlowStep("fill", "Type the user name", lambda p, _: p.get_by_label("Username"), param("username")),
        FlowStep("fill", "Type the password", lambda p, _: p.locator("#id_password"), secret("password")),
        FlowStep("click", "Sign in", lambda p, _: p.get_by_role("button", name="Sign in"), url=r"/admin/$"),
        FlowStep("click", "Open the settings menu", lambda p, _: p.get_by_role("button", name="Settings", exact=True)),
        FlowStep("click", "Open the redirects", lambda p, _: p.get_by_role("link", name="Redirects", exact=True),
                 url=r"/admin/redirects/$"),
        FlowStep("click", "Start a new redirect", lambda p, _: p.get_by_role("link", name="Add redirect"),
                 url=r"/admin/redirects/add/$"),
        FlowStep("fill", "Type the old path", lambda p, _: p.get_by_label("Redirect from"), param("old_path")),
        FlowStep("select", "Limit it to the default site", lambda p, _: p.get_by_label("From site"),
                 "localhost [default]"),
        FlowStep("check", "Make it temporary", lambda p, _: p.get_by_label("Permanent"), False),
        FlowStep("fill", "Type the target address", lambda p, _: p.get_by_label("Redirect to any URL"), param("target")),
        # 6.0 renamed the add form's button from Save to Create.
        FlowStep("click", "Save the redirect",
                 lambda p, _: p.get_by_role("button", name="Save", exact=True).or_(
                     p.get_by_role("button", name="Create", exact=True)),
                 url=r"/admin/redirects/$", note="6.x renamed it Create"),
        FlowStep("assert_text", "Wagtail confirms the new redirect", lambda p, _: p.locator(".messages .success"),
                 lambda v: f"Redirect '{v['old_path']}' added."),
        # The listing searches as one types (5.2 and later swap the results in place).
        FlowStep("fill", "Search for the old path", lambda p, _: p.locator("#id_q"), param("old_path")),
        FlowStep("press", "Run the search", lambda p, _: p.locator("#id_q"), "Enter", url=r"/admin/redirects/\?q="),
        FlowStep("assert_text", "The listing shows the new redirect", lambda p, _: p.locator("table.listing tbody"),
                 lambda v: str(v["target"])),
    )
    return Flow(
        name="wagtail-redirect",
        title="Add a redirect in Wagtail's admin and find it in the listing",
        steps=steps,
        record_params={"username": "admin", "old_path": "/spring-sale", "target": "https://example.com/offers"},
        replay_params={"username": "admin", "old_path": "/winter-hours", "target": "https://example.org/opening-times"},
        secrets={"password": "adminpw"},
    )


class Wagtail(App):
    key = "wagtail"
    name = "Wagtail admin"
    releases = (Release("5.2", ("wagtail==5.2.*",)), Release("6.3", ("wagtail==6.3.*",)))
    flow = _flow()

    def build(self, venv: Path, home: Path) -> None:
        home.mkdir(parents=True, exist_ok=True)
        project = home / "project"
        if not (project / "manage.py").is_file():
            project.mkdir(exist_ok=True)
            subprocess.run([str(venv / "bin" / "wagtail"), "start", "realapps", str(project)], check=True,
                           capture_output=True, timeout=300)
        dev = project / "realapps" / "settings" / "dev.py"
        text = dev.read_text(encoding="utf-8")
        if "REALAPPS_DB" not in text:
            dev.write_text(text + SETTINGS, encoding="utf-8")
        (project / "seed.py").write_text(SEED, encoding="utf-8")
        python = str(venv / "bin" / "python")
        for data in ("base", "extra"):
            database = home / f"{data}.sqlite3"
            database.unlink(missing_ok=True)
            env = self._env(home, database)
            subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=project, env=env, check=True, timeout=900)
            subprocess.run([python, "seed.py", data], cwd=project, env=env, check=True, timeout=300)

    def command(self, home: Path, folder: Path, database: Path, port: int) -> tuple[list[str], str, dict[str, str]]:
        python = str(home / "venv" / "bin" / "python")
        command = [python, str(home / "project" / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"]
        return command, f"http://127.0.0.1:{port}/admin/login/", self._env(home, database)

    def _env(self, home: Path, database: Path) -> dict[str, str]:
        return {"DJANGO_SETTINGS_MODULE": "realapps.settings.dev", "PYTHONPATH": str(home / "project"),
                "REALAPPS_DB": str(database)}

    def records(self, database: Path) -> dict[str, dict[str, Any]]:
        with sqlite3.connect(database) as db:
            rows = db.execute(
                "SELECT r.id, r.old_path, r.is_permanent, r.redirect_link, r.redirect_page_id, s.hostname"
                " FROM wagtailredirects_redirect r LEFT JOIN wagtailcore_site s ON s.id = r.site_id"
            ).fetchall()
        names = ("old_path", "is_permanent", "redirect_link", "redirect_page", "site")
        return {str(row[0]): dict(zip(names, row[1:])) for row in rows}

    def expected(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"old_path": params["old_path"], "is_permanent": 0, "redirect_link": params["target"],
                "redirect_page": None, "site": "localhost"}
