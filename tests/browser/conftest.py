"""The real app (Reflex production build) on each stack, and Debian's Chromium at phone size."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from pika.db import make_engine, session_scope
from pika.services import accounts
from tests.support.server import ROOT, RunningApp, migrated, start_app
from tests.support.services import create_database

ARTIFACTS = ROOT / "artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 2}


@dataclass
class LiveApp:
    name: str
    app: RunningApp
    database_url: str

    @property
    def url(self) -> str:
        return self.app.url

    def new_dj(self, slug: str | None = None) -> dict:
        slug = slug or f"dj-{uuid.uuid4().hex[:8]}"
        engine = make_engine(self.database_url)
        with session_scope(engine) as db:
            dj = accounts.create_dj(db, email=f"{slug}@example.com", display_name_=slug.replace("-", " ").title(), slug=slug)
            _, raw = accounts.issue_token(db, dj)
        engine.dispose()
        return {"Authorization": f"Bearer {raw}"}

    def api(self, method: str, path: str, headers: dict, json: dict | None = None) -> httpx.Response:
        return httpx.request(method, f"{self.url}/api/v1{path}", headers=headers, json=json, timeout=10)


def stack_database(request, folder: Path, prefix: str) -> str:
    """A new database at the current schema for the fixture's stack (`request.param`): a SQLite file
    for the embedded default, a PostgreSQL database for production."""
    if request.param == "embedded":
        return migrated(f"sqlite:///{folder / 'pika.db'}")
    return migrated(create_database(request.getfixturevalue("postgres"), f"{prefix}_{uuid.uuid4().hex[:10]}"))


@pytest.fixture(scope="module", params=["embedded", "production"])
def live(request, tmp_path_factory) -> Iterator[LiveApp]:
    folder = tmp_path_factory.mktemp(f"app-{request.param}")
    database_url = stack_database(request, folder, "b")
    redis_url = request.getfixturevalue("redis_server").url if request.param == "production" else None
    app = start_app(database_url=database_url, redis_url=redis_url, log_path=folder / "app.log")
    try:
        yield LiveApp(request.param, app, database_url)
    finally:
        app.stop()


_ERROR_LINE = re.compile(r"(\[ERROR\]|Traceback \(most recent call last\)| ERROR )")


@pytest.fixture(autouse=True)
def fail_on_app_errors(request):
    """A test fails if the app logged an error while it ran."""
    if "live" not in request.fixturenames:
        yield
        return
    live: LiveApp = request.getfixturevalue("live")
    before = len(live.app.log())
    yield
    new = live.app.log()[before:]
    errors = [line for line in new.splitlines() if _ERROR_LINE.search(line)]
    assert not errors, "the app logged errors:\n" + "\n".join(errors[:20])


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


# Reported in every page before any of the app's scripts run, and also echoed by Chromium as a console error.
_CSP_PROBE = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(autouse=True)
def fail_on_csp_violations(request, monkeypatch):
    """A test fails if any page it opened broke the Content-Security-Policy (a blocked script, style, socket…)."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    violations: list[str] = []

    def watch(context):
        context.add_init_script(_CSP_PROBE)
        context.on("console", lambda msg: violations.append(msg.text) if msg.type == "error" and (
            "CSP violation" in msg.text or "Content Security Policy" in msg.text) else None)
        return context

    new_context, new_page = browser.new_context, browser.new_page
    monkeypatch.setattr(browser, "new_context", lambda *a, **kw: watch(new_context(*a, **kw)))

    def page_in_watched_context(*a, **kw):
        page = new_page(*a, **kw)
        watch(page.context)  # before the test's first goto, so the probe is in place
        return page

    monkeypatch.setattr(browser, "new_page", page_in_watched_context)
    yield violations
    assert not violations, "the Content-Security-Policy blocked something:\n" + "\n".join(dict.fromkeys(violations))
