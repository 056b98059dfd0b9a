"""OIDC sign-in in a real browser: the real app (production build) and a real local provider.

Run in its own process: PIKA_TEST_WEB_DIR=.web-oidc pytest tests/browser/test_oidc.py -p no:asyncio
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from pika.web.messages import OIDC_MESSAGES as MESSAGES
from tests.browser.conftest import _ERROR_LINE, shot
from tests.support.oidc_provider import OidcProvider, running_oidc_provider
from tests.support.server import RunningApp, migrated, start_app
from tests.support.services import free_port

TIMEOUT_MS = 20_000
LABEL = "Sign in with Swing Camp ID"


@dataclass
class OidcApp:
    app: RunningApp
    provider: OidcProvider | None

    @property
    def url(self) -> str:
        return self.app.url


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    with running_oidc_provider() as provider:
        yield provider


# One app at a time: both share the .web-oidc build folder, and pytest finishes every test of the
# first parameter (and stops its app) before it starts the second.
@pytest.fixture(scope="module", params=["configured", "not-configured"])
def oidc_app(request, provider, tmp_path_factory) -> Iterator[OidcApp]:
    folder = tmp_path_factory.mktemp(f"oidc-{request.param}")
    database_url = f"sqlite:///{folder / 'pika.db'}"
    migrated(database_url)
    port = free_port()
    extra_env = {"SECRET_KEY": "browser-test-secret-key-0123456789", "OIDC_LABEL": LABEL,
                 "OIDC_ISSUER": "", "OIDC_CLIENT_ID": "", "OIDC_CLIENT_SECRET": ""}
    if request.param == "configured":
        client_id, secret = provider.register_client(f"http://127.0.0.1:{port}/auth/oidc/callback")
        extra_env.update(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=client_id, OIDC_CLIENT_SECRET=secret)
    app = start_app(database_url=database_url, log_path=folder / "app.log", port=port, extra_env=extra_env,
                    web_dir=".web-oidc")
    try:
        yield OidcApp(app, provider if request.param == "configured" else None)
    finally:
        app.stop()


@pytest.fixture(autouse=True)
def no_app_errors(oidc_app: OidcApp):
    before = len(oidc_app.app.log())
    yield
    errors = [line for line in oidc_app.app.log()[before:].splitlines() if _ERROR_LINE.search(line)]
    assert not errors, "the app logged errors:\n" + "\n".join(errors[:20])


def test_a_dj_signs_in_at_the_provider_and_lands_on_the_dashboard(page, oidc_app: OidcApp):
    if oidc_app.provider is None:
        pytest.skip("needs a configured provider")
    page.goto(f"{oidc_app.url}/dj/sign-in")
    button = page.locator("#oidc-sign-in")
    expect(button).to_be_visible(timeout=TIMEOUT_MS)
    expect(button).to_contain_text(LABEL)
    shot(page, "oidc-sign-in")

    button.click()
    # The provider's own consent page: sign in as a new subject (the mock uses it as the e-mail).
    page.wait_for_url(f"{oidc_app.provider.issuer}/oauth2/authorize**", timeout=TIMEOUT_MS)
    page.fill("input[name=sub]", "lindy.hopper@example.com")
    page.get_by_role("button", name="Authorize").click()

    # The static build answers /dj with a redirect to /dj/.
    page.wait_for_url(re.compile(rf"{re.escape(oidc_app.url)}/dj/?$"), timeout=TIMEOUT_MS)
    expect(page.locator("#dj-greeting")).to_contain_text("Lindy Hopper", timeout=TIMEOUT_MS)
    shot(page, "oidc-signed-in")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["pika_session"]["httpOnly"] and cookies["pika_session"]["sameSite"] == "Lax"
    assert "pika_oidc" not in cookies  # the round trip's state is single-use


def test_denied_consent_comes_back_with_a_message(page, oidc_app: OidcApp):
    if oidc_app.provider is None:
        pytest.skip("needs a configured provider")
    page.goto(f"{oidc_app.url}/dj/sign-in")
    page.locator("#oidc-sign-in").click()
    page.wait_for_url(f"{oidc_app.provider.issuer}/oauth2/authorize**", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="Deny").click()
    page.wait_for_url(re.compile(r"/dj/sign-in/?\?error=oidc_denied$"), timeout=TIMEOUT_MS)
    expect(page.locator("#form-error")).to_contain_text(MESSAGES["oidc_denied"], timeout=TIMEOUT_MS)
    shot(page, "oidc-denied")


def test_without_configuration_there_is_no_oidc_button(page, oidc_app: OidcApp):
    if oidc_app.provider is not None:
        pytest.skip("checks the app without a provider")
    page.goto(f"{oidc_app.url}/dj/sign-in")
    expect(page.locator("#sign-in-submit")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#oidc-sign-in")).to_have_count(0)
    shot(page, "oidc-not-configured")
    response = page.request.get(f"{oidc_app.url}/auth/oidc/start", max_redirects=0)
    assert response.status == 303 and response.headers["location"] == "/dj/sign-in?error=oidc_not_configured"
