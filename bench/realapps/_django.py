"""Django's admin (django.contrib.flatpages): add a flat page, find it in the change list."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from playwright.async_api import Page

from tracer import param, secret

from ._app import App, Release
from ._flow import Flow, FlowStep

__all__ = ["DjangoAdmin"]

SETTINGS = """
import os
SECRET_KEY = "realapps-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "django.contrib.sites", "django.contrib.flatpages",
]
SITE_ID = 1
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware", "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "realapps_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["REALAPPS_DB"]}}
STATIC_URL = "/static/"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
"""

URLS = """
from django.contrib import admin
from django.urls import path
urlpatterns = [path("admin/", admin.site.urls)]
"""

# `extra` adds pages and sites first, so the new page's id and example.com's option value both differ.
SEED = """
import sys, django
django.setup()
from django.contrib.auth.models import User
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
User.objects.create_superuser("admin", "admin@example.com", "adminpw")
site = Site.objects.get(id=1)
if sys.argv[1] == "extra":
    Site.objects.filter(id=1).update(domain="legacy.example.com", name="legacy")
    Site.objects.create(domain="docs.example.com", name="docs")
    site = Site.objects.create(domain="example.com", name="example")
    for n in range(4):
        FlatPage.objects.create(url=f"/archive-{n}/", title=f"Archive {n}", content="old").sites.add(site)
for url, title in (("/about/", "About us"), ("/contact/", "Contact")):
    FlatPage.objects.create(url=url, title=title, content=title).sites.add(site)
"""


def _flow() -> Flow:
    def row_message(p: Mapping[str, Any]) -> str:
        return f"The flat page “{p['url']} -- {p['title']}” was added successfully. You may edit it again below."

    steps = (
        FlowStep("goto", "Open the admin's login page", value="/admin/login/?next=/admin/"),
        FlowStep("fill", "Type the user name", lambda p, _: p.get_by_label("Username"), param("username")),
        FlowStep("fill", "Type the password", lambda p, _: p.get_by_label("Password"), secret("password")),
        FlowStep("click", "Log in", lambda p, _: p.get_by_role("button", name="Log in"), url=r"/admin/$"),
        FlowStep("click", "Open the flat pages", lambda p, _: p.get_by_role("link", name="Flat pages", exact=True),
                 url=r"/admin/flatpages/flatpage/$"),
        FlowStep("click", "Start a new flat page", lambda p, _: p.get_by_role("link", name="Add flat page"),
                 url=r"/admin/flatpages/flatpage/add/$"),
        FlowStep("fill", "Type the page's URL", lambda p, _: p.get_by_label("URL"), param("url")),
        FlowStep("fill", "Type the title", lambda p, _: p.get_by_label("Title"), param("title")),
        FlowStep("fill", "Type the content", lambda p, _: p.get_by_label("Content"), param("content")),
        FlowStep("select", "Publish it on example.com", lambda p, _: p.get_by_label("Sites"), "example.com"),
        FlowStep("click", "Show the advanced options", _advanced_toggle),
        FlowStep("check", "Require registration", lambda p, _: p.get_by_label("Registration required"), True),
        FlowStep("click", "Save and keep editing",
                 lambda p, _: p.get_by_role("button", name="Save and continue editing"),
                 url=r"/admin/flatpages/flatpage/\d+/change/$"),
        FlowStep("assert_text", "The admin confirms the new page", lambda p, _: p.locator(".messagelist .success"),
                 row_message),
        FlowStep("click", "Back to the list of flat pages",
                 lambda p, _: p.locator(".breadcrumbs").get_by_role("link", name="Flat pages", exact=True),
                 url=r"/admin/flatpages/flatpage/$"),
        FlowStep("fill", "Search for the new page's title", lambda p, _: p.locator("#searchbar"), param("title")),
        FlowStep("press", "Run the search", lambda p, _: p.locator("#searchbar"), "Enter",
                 url=r"/admin/flatpages/flatpage/\?q="),
        FlowStep("assert_text", "The result list shows the new page", lambda p, _: p.locator("#result_list"),
                 lambda p: str(p["url"])),
    )
    return Flow(
        name="django-flatpage",
        title="Add a flat page in Django's admin and find it in the list",
        steps=steps,
        record_params={"username": "admin", "url": "/spring-sale/", "title": "Spring sale", "content": "Ten percent off"},
        replay_params={"username": "admin", "url": "/winter-hours/", "title": "Winter opening hours",
                       "content": "Closed on Mondays"},
        secrets={"password": "adminpw"},
    )


def _advanced_toggle(page: Page, _: Mapping[str, Any]) -> Any:
    # 4.2 adds a "Show" link to a collapsed fieldset; 5.1 and later use <details><summary>.
    return page.locator("fieldset.collapse a.collapse-toggle").or_(page.locator("fieldset.collapse summary"))


class DjangoAdmin(App):
    key = "django"
    name = "Django admin"
    releases = (Release("4.2", ("Django==4.2.*",)), Release("5.2", ("Django==5.2.*",)))
    flow = _flow()

    def build(self, venv: Path, home: Path) -> None:
        project = home / "project"
        project.mkdir(parents=True, exist_ok=True)
        (project / "realapps_settings.py").write_text(SETTINGS, encoding="utf-8")
        (project / "realapps_urls.py").write_text(URLS, encoding="utf-8")
        (project / "seed.py").write_text(SEED, encoding="utf-8")
        python = str(venv / "bin" / "python")
        for data in ("base", "extra"):
            database = home / f"{data}.sqlite3"
            database.unlink(missing_ok=True)
            env = self._env(home, database)
            subprocess.run([python, "-m", "django", "migrate", "-v0"], cwd=project, env=env, check=True, timeout=600)
            subprocess.run([python, "seed.py", data], cwd=project, env=env, check=True, timeout=600)

    def command(self, home: Path, folder: Path, database: Path, port: int) -> tuple[list[str], str, dict[str, str]]:
        python = str(home / "venv" / "bin" / "python")
        command = [python, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"]
        return command, f"http://127.0.0.1:{port}/admin/login/", self._env(home, database)

    def _env(self, home: Path, database: Path) -> dict[str, str]:
        return {
            "DJANGO_SETTINGS_MODULE": "realapps_settings",
            "PYTHONPATH": str(home / "project"),
            "REALAPPS_DB": str(database),
        }

    def records(self, database: Path) -> dict[str, dict[str, Any]]:
        with sqlite3.connect(database) as db:
            rows = db.execute(
                "SELECT p.id, p.url, p.title, p.content, p.registration_required, p.template_name,"
                " (SELECT group_concat(s.domain) FROM django_flatpage_sites ps JOIN django_site s ON s.id = ps.site_id"
                "  WHERE ps.flatpage_id = p.id) FROM django_flatpage p"
            ).fetchall()
        names = ("url", "title", "content", "registration_required", "template_name", "sites")
        return {str(row[0]): dict(zip(names, row[1:])) for row in rows}

    def expected(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return {"url": params["url"], "title": params["title"], "content": params["content"],
                "registration_required": 1, "sites": "example.com"}
