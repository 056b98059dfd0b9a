"""What the DJ does on the web: sign up, sign in, see past sets, manage agent tokens."""

from __future__ import annotations

from sqlmodel import Session, col, select

from pika.domain import accounts as rules
from pika.domain.passwords import PASSWORD_MAX, PASSWORD_MIN, hash_password, verify_password
from pika.models import DJ, ApiToken, LiveSession, SessionEvent
from pika.services import accounts
from pika.services.errors import Invalid, NotFound
from pika.services.telemetry import session_timeline


class SignUpProblem(Exception):
    """Which field is wrong: a code the page turns into a sentence (pika/web/messages.py)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def sign_up(db: Session, *, email: str, display_name: str, slug: str, password: str) -> DJ:
    """A new DJ with a password. Every rule is checked before anything is written."""
    email = rules.normalize_email(email)
    slug = slug.strip().lower()
    if rules.email_problem(email):
        raise SignUpProblem("email")
    if rules.display_name_problem(display_name):
        raise SignUpProblem("name")
    if slug in rules.RESERVED_SLUGS:
        raise SignUpProblem("slug_reserved")
    if rules.slug_problem(slug):
        raise SignUpProblem("slug")
    if len(password) < PASSWORD_MIN:
        raise SignUpProblem("password_short")
    if len(password) > PASSWORD_MAX:
        raise SignUpProblem("password_long")
    if db.exec(select(DJ.id).where(DJ.slug == slug)).first() is not None:
        raise SignUpProblem("slug_taken")
    if db.exec(select(DJ.id).where(DJ.email == email)).first() is not None:
        raise SignUpProblem("email_taken")
    return accounts.create_dj(db, email=email, display_name_=display_name, slug=slug,
                              password_hash=hash_password(password))


def authenticate(db: Session, *, email: str, password: str) -> DJ | None:
    """The DJ for this e-mail and password, or None — the same None for every reason."""
    dj = db.exec(select(DJ).where(DJ.email == rules.normalize_email(email)[:254])).first()
    # Accounts made by the CLI (or by OIDC) have no password hash: they never match.
    ok = verify_password(dj.password_hash if dj else None, password)
    return dj if ok else None


def owned_token(db: Session, dj: DJ, token_id: int) -> ApiToken:
    token = db.get(ApiToken, token_id)
    if token is None or token.dj_id != dj.id:
        raise NotFound("No such token for this DJ.")
    return token


def regenerate_token(db: Session, dj: DJ, token_id: int) -> tuple[ApiToken, str]:
    """Revoke one of the DJ's tokens and issue its replacement with the same label."""
    old = owned_token(db, dj, token_id)
    if old.revoked_at is not None:
        raise Invalid("This token is already revoked; create a new one instead.")
    accounts.revoke_token(db, dj, token_id)
    return accounts.issue_token(db, dj, label=old.label)


def past_sets(db: Session, dj: DJ, limit: int = 50) -> list[tuple[LiveSession, list[SessionEvent]]]:
    """The DJ's sets, newest first, each with its agent-connection timeline (oldest event first)."""
    sets = db.exec(select(LiveSession).where(LiveSession.dj_id == dj.id)
                   .order_by(col(LiveSession.started_at).desc()).limit(limit)).all()
    return [(s, session_timeline(db, dj, s.id)) for s in sets]
