"""OIDC sign-in against a real provider (oidc-provider-mock) through the real API app, on both stacks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import select

from pika.api.app import create_api
from pika.db import session_scope
from pika.domain.accounts import slug_problem
from pika.models import DJ, WebSession
from pika.services import accounts
from pika.services.web_sessions import dj_for_web_session
from pika.settings import get_settings
from pika.web.cookies import SESSION_COOKIE
from pika.web.messages import OIDC_MESSAGES as MESSAGES
from pika.web.oidc_state import COOKIE as STATE_COOKIE
from tests.support.oidc_provider import OidcProvider, query_of, running_oidc_provider, with_query
from tests.support.services import free_port

PUBLIC_URL = "http://pika.test"
CALLBACK = f"{PUBLIC_URL}/auth/oidc/callback"


@pytest.fixture(scope="module")
def provider():
    with running_oidc_provider() as provider:
        yield provider


@pytest.fixture(scope="module")
def registered(provider) -> tuple[str, str]:
    return provider.register_client(CALLBACK)


def configure(monkeypatch, *, issuer: str | None, client: tuple[str, str] | None) -> None:
    monkeypatch.setenv("PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-0123456789")
    monkeypatch.setenv("OIDC_ISSUER", issuer or "")
    monkeypatch.setenv("OIDC_CLIENT_ID", client[0] if client else "")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", client[1] if client else "")
    get_settings.cache_clear()


@pytest.fixture
def oidc(engine, provider, registered, monkeypatch) -> OidcProvider:
    configure(monkeypatch, issuer=provider.issuer, client=registered)
    return provider


@pytest.fixture
async def visitor(engine):
    """A browser-like client: keeps cookies, does not follow redirects (each hop is checked)."""
    transport = httpx.ASGITransport(app=create_api())
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as client:
        yield client


@dataclass
class RoundTrip:
    authorization_url: str
    callback_url: str


async def round_trip(visitor, provider: OidcProvider, sub: str | None, **tamper: str) -> RoundTrip:
    start = await visitor.get("/auth/oidc/start")
    assert start.status_code == 303, start.text
    authorization_url = with_query(start.headers["location"], **tamper)
    return RoundTrip(authorization_url, provider.authorize(authorization_url, sub))


async def sign_in(visitor, provider: OidcProvider, sub: str | None, **tamper: str) -> httpx.Response:
    trip = await round_trip(visitor, provider, sub, **tamper)
    return await visitor.get(trip.callback_url)


def assert_refused(response: httpx.Response, reason: str) -> None:
    assert response.status_code == 303
    assert response.headers["location"] == f"/dj/sign-in?error=oidc_{reason}"
    assert f"oidc_{reason}" in MESSAGES
    assert SESSION_COOKIE not in response.cookies


def signed_in_dj(engine, response: httpx.Response) -> DJ:
    assert response.status_code == 303, response.headers.get("location")
    assert response.headers["location"] == "/dj"
    with session_scope(engine) as db:
        dj = dj_for_web_session(db, response.cookies[SESSION_COOKIE])
    assert dj is not None
    return dj


def new_sub() -> str:
    return f"user-{uuid.uuid4().hex[:8]}"


async def test_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(oidc, visitor):
    response = await visitor.get("/auth/oidc/start")
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(f"{oidc.issuer}/oauth2/authorize?")
    query = query_of(location)
    assert query["redirect_uri"] == CALLBACK
    assert set(query["scope"].split()) >= {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert len(query["state"]) >= 20 and len(query["nonce"]) >= 20
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{STATE_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/auth/oidc" in cookie
    # The verifier stays in the visitor's signed cookie; only its hash went to the provider.
    assert "code_verifier" not in query and response.cookies[STATE_COOKIE].count(".") == 2


async def test_a_new_dj_is_created_with_a_valid_slug_and_signed_in(oidc, visitor, engine):
    sub = new_sub()
    oidc.set_user(sub, email=f"{sub}@Example.com", email_verified=True, name="Zoë Lindqvist")
    response = await sign_in(visitor, oidc, sub)
    dj = signed_in_dj(engine, response)
    assert (dj.oidc_issuer, dj.oidc_subject) == (oidc.issuer, sub)
    assert dj.email == f"{sub}@example.com" and dj.display_name == "Zoë Lindqvist"
    assert dj.slug.startswith("zoe-lindqvist") and slug_problem(dj.slug) is None
    assert dj.password_hash is None
    # The round trip is single-use: its cookie is cleared.
    assert f'{STATE_COOKIE}=""' in response.headers.get("set-cookie", "")


async def test_the_slug_avoids_taken_and_reserved_names(oidc, visitor, engine):
    with session_scope(engine) as db:
        accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
    sub = new_sub()
    oidc.set_user(sub, email=f"{sub}@example.com", email_verified=True, name="Nova")
    assert signed_in_dj(engine, await sign_in(visitor, oidc, sub)).slug == "nova-2"
    sub = new_sub()
    oidc.set_user(sub, email=f"live@{sub}.example.com", name="Admin")
    slug = signed_in_dj(engine, await sign_in(visitor, oidc, sub)).slug
    assert slug.startswith("dj-") and slug_problem(slug) is None


async def test_a_second_sign_in_of_the_same_subject_reuses_the_dj(oidc, visitor, engine):
    sub = new_sub()
    oidc.set_user(sub, email=f"{sub}@example.com", email_verified=True, name="Ana Silva")
    first = signed_in_dj(engine, await sign_in(visitor, oidc, sub))
    # Even with another e-mail at the provider: the identity is (issuer, subject), not the address.
    oidc.set_user(sub, email=f"new-{sub}@example.com", email_verified=True, name="Ana Silva")
    second = signed_in_dj(engine, await sign_in(visitor, oidc, sub))
    assert second.id == first.id
    with session_scope(engine) as db:
        assert len(db.exec(select(DJ).where(DJ.oidc_subject == sub)).all()) == 1
        assert len(db.exec(select(WebSession).where(WebSession.dj_id == first.id)).all()) == 2


async def test_a_verified_email_links_an_existing_dj(oidc, visitor, engine):
    with session_scope(engine) as db:
        existing = accounts.create_dj(db, email="marta@example.com", display_name_="Marta", slug="marta",
                                      password_hash="x")
    sub = new_sub()
    oidc.set_user(sub, email="Marta@example.com", email_verified=True, name="Marta K.")
    dj = signed_in_dj(engine, await sign_in(visitor, oidc, sub))
    assert dj.id == existing.id
    assert (dj.oidc_issuer, dj.oidc_subject) == (oidc.issuer, sub)
    assert dj.display_name == "Marta"  # linking changes nothing else about the account


async def test_an_unverified_email_does_not_link_an_existing_dj(oidc, visitor, engine):
    with session_scope(engine) as db:
        existing = accounts.create_dj(db, email="jules@example.com", display_name_="Jules", slug="jules")
    sub = new_sub()
    oidc.set_user(sub, email="jules@example.com", email_verified=False, name="Not Jules")
    assert_refused(await sign_in(visitor, oidc, sub), "email_unverified")
    sub = new_sub()
    oidc.set_user(sub, email="jules@example.com", name="Not Jules Either")  # no email_verified claim at all
    assert_refused(await sign_in(visitor, oidc, sub), "email_unverified")
    with session_scope(engine) as db:
        assert db.get(DJ, existing.id).oidc_subject is None
        assert db.exec(select(WebSession)).first() is None


async def test_an_account_already_linked_is_not_relinked_by_email(oidc, visitor, engine):
    sub = new_sub()
    oidc.set_user(sub, email=f"{sub}@example.com", email_verified=True)
    signed_in_dj(engine, await sign_in(visitor, oidc, sub))
    other = new_sub()
    oidc.set_user(other, email=f"{sub}@example.com", email_verified=True)
    assert_refused(await sign_in(visitor, oidc, other), "email_taken")


async def test_a_callback_with_a_wrong_state_is_refused(oidc, visitor):
    trip = await round_trip(visitor, oidc, new_sub())
    state = query_of(trip.callback_url)["state"]
    assert_refused(await visitor.get(with_query(trip.callback_url, state=state[:-2] + "xx")), "state")


async def test_a_callback_without_the_browser_cookie_is_refused(oidc, visitor, engine):
    # Login CSRF: an attacker's own valid callback URL, opened in the victim's visitor.
    trip = await round_trip(visitor, oidc, new_sub())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url=PUBLIC_URL) as victim:
        assert_refused(await victim.get(trip.callback_url), "state")


async def test_a_forged_state_cookie_is_refused(oidc, visitor, monkeypatch):
    trip = await round_trip(visitor, oidc, new_sub())
    monkeypatch.setenv("SECRET_KEY", "another-secret-key-987654321")
    get_settings.cache_clear()
    assert_refused(await visitor.get(trip.callback_url), "state")


async def test_an_expired_round_trip_is_refused(oidc, visitor, monkeypatch):
    from pika.web import oidc_state

    monkeypatch.setattr(oidc_state, "MAX_AGE_SECONDS", -1)  # the signed exp is already past
    start = await visitor.get("/auth/oidc/start")
    # A browser would drop the cookie at once (Max-Age -1); this one keeps it, to test the signed exp.
    value = start.headers["set-cookie"].split(";")[0].removeprefix(f"{STATE_COOKIE}=")
    visitor.cookies.set(STATE_COOKIE, value, domain="pika.test", path="/auth/oidc")
    callback_url = oidc.authorize(start.headers["location"], new_sub())
    assert_refused(await visitor.get(callback_url), "state")


async def test_a_replayed_callback_is_refused(oidc, visitor, engine):
    sub = new_sub()
    oidc.set_user(sub, email=f"{sub}@example.com", email_verified=True)
    trip = await round_trip(visitor, oidc, sub)
    signed_in_dj(engine, await visitor.get(trip.callback_url))
    assert_refused(await visitor.get(trip.callback_url), "state")


async def test_an_id_token_with_another_nonce_is_refused(oidc, visitor, caplog):
    sub = new_sub()
    oidc.set_user(sub, email=f"{sub}@example.com", email_verified=True)
    # The provider echoes whatever nonce it was sent; the app must compare it with its own.
    assert_refused(await sign_in(visitor, oidc, sub, nonce="attacker-chosen-nonce-123"), "token")
    assert "nonce" in caplog.text


async def test_denied_consent_is_explained(oidc, visitor):
    assert_refused(await sign_in(visitor, oidc, None), "denied")


async def test_claims_without_an_email_are_refused(oidc, visitor, engine):
    sub = new_sub()
    oidc.set_user(sub, name="No Mail")
    assert_refused(await sign_in(visitor, oidc, sub), "email")
    with session_scope(engine) as db:
        assert db.exec(select(DJ).where(DJ.oidc_subject == sub)).first() is None


async def test_an_unreachable_provider_is_explained(engine, visitor, monkeypatch):
    configure(monkeypatch, issuer=f"http://127.0.0.1:{free_port()}", client=("pika", "secret"))
    assert_refused(await visitor.get("/auth/oidc/start"), "unavailable")


async def test_a_wrong_client_secret_is_refused_by_the_provider(engine, provider, registered, visitor, monkeypatch):
    configure(monkeypatch, issuer=provider.issuer, client=(registered[0], "wrong-secret"))
    sub = new_sub()
    provider.set_user(sub, email=f"{sub}@example.com", email_verified=True)
    assert_refused(await sign_in(visitor, provider, sub), "provider")


@pytest.mark.parametrize("path", ["/auth/oidc/start", "/auth/oidc/callback?code=x&state=y"])
async def test_nothing_happens_when_oidc_is_not_configured(engine, visitor, monkeypatch, path):
    configure(monkeypatch, issuer=None, client=None)
    assert not get_settings().oidc_enabled
    response = await visitor.get(path)
    assert_refused(response, "not_configured")
    assert "set-cookie" not in response.headers or STATE_COOKIE + '=""' in response.headers["set-cookie"]
