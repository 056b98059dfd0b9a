"""DJ accounts and their API tokens."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from pika.db_types import utcnow
from pika.domain import accounts, tokens
from pika.domain.tracks import display_name
from pika.models import DJ, ApiToken
from pika.services.errors import Conflict, Invalid, NotFound

# Writing last_used_at on every request would turn each agent call into a write.
_LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_dj(db: Session, *, email: str, display_name_: str, slug: str, password_hash: str | None = None) -> DJ:
    email = accounts.normalize_email(email)
    for problem in (
        accounts.email_problem(email),
        accounts.display_name_problem(display_name_),
        accounts.slug_problem(slug),
    ):
        if problem:
            raise Invalid(problem)
    if db.exec(select(DJ).where(DJ.email == email)).first():
        raise Conflict("An account with this e-mail address already exists.")
    if db.exec(select(DJ).where(DJ.slug == slug)).first():
        raise Conflict(f"The slug “{slug}” is taken.")
    dj = DJ(email=email, display_name=display_name(display_name_), slug=slug, password_hash=password_hash)
    db.add(dj)
    db.flush()
    return dj


def find_dj(db: Session, email_or_slug: str) -> DJ:
    key = email_or_slug.strip()
    dj = db.exec(select(DJ).where((DJ.email == accounts.normalize_email(key)) | (DJ.slug == key))).first()
    if dj is None:
        raise NotFound(f"No DJ with e-mail or slug “{key}”.")
    return dj


def issue_token(db: Session, dj: DJ, label: str = "") -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    if len(label) > 80:
        raise Invalid("The label can be at most 80 characters.")
    raw = tokens.generate_token()
    token = ApiToken(dj_id=dj.id, token_hash=tokens.hash_token(raw), label=label.strip())
    db.add(token)
    db.flush()
    return token, raw


def list_tokens(db: Session, dj: DJ) -> list[ApiToken]:
    return list(db.exec(select(ApiToken).where(ApiToken.dj_id == dj.id).order_by(ApiToken.id)))


def revoke_token(db: Session, dj: DJ, token_id: int) -> ApiToken:
    token = db.get(ApiToken, token_id)
    if token is None or token.dj_id != dj.id:
        raise NotFound("No such token for this DJ.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.add(token)
    return token


def dj_for_token(db: Session, raw: str) -> DJ | None:
    """The DJ a bearer token belongs to, or None for an unknown or revoked token."""
    if not tokens.looks_like_token(raw):
        return None
    token = db.exec(select(ApiToken).where(ApiToken.token_hash == tokens.hash_token(raw))).first()
    if token is None or token.revoked_at is not None:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.add(token)
    return db.get(DJ, token.dj_id)
