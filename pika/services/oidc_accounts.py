"""The DJ behind an OIDC identity: found by (issuer, subject), linked by verified e-mail, or created."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import Session, select

from pika.domain import oidc_claims
from pika.models import DJ
from pika.services import accounts
from pika.services.errors import ServiceError


class OidcRefused(ServiceError):
    """Sign-in cannot go on; the page shows pika.web.messages.OIDC_MESSAGES[f"oidc_{code}"]."""

    status = 403

    def __init__(self, code: str, detail: str = ""):
        super().__init__(detail or code)
        self.code = code


def dj_for_identity(db: Session, *, issuer: str, claims: Mapping) -> DJ:
    """The DJ for validated ID-token claims; raises OidcRefused when the claims cannot be used."""
    if problem := oidc_claims.claims_problem(claims):
        raise OidcRefused(problem)
    subject = claims["sub"]
    dj = db.exec(select(DJ).where(DJ.oidc_issuer == issuer, DJ.oidc_subject == subject)).first()
    if dj is not None:
        return dj
    email = oidc_claims.email_from(claims)
    owner = db.exec(select(DJ).where(DJ.email == email)).first()
    if owner is not None:
        return _link(db, owner, issuer=issuer, subject=subject, verified=oidc_claims.email_is_verified(claims))
    dj = accounts.create_dj(db, email=email, display_name_=oidc_claims.display_name_from(claims),
                            slug=_free_slug(db, claims))
    return _link(db, dj, issuer=issuer, subject=subject, verified=True)


def _link(db: Session, dj: DJ, *, issuer: str, subject: str, verified: bool) -> DJ:
    # Linking on an address the provider has not confirmed would let anyone who types a DJ's
    # e-mail at the provider take over that DJ's account.
    if not verified:
        raise OidcRefused("email_unverified")
    # One identity per account: a second one must not silently replace the first.
    if dj.oidc_subject is not None:
        raise OidcRefused("email_taken")
    dj.oidc_issuer, dj.oidc_subject = issuer, subject
    db.add(dj)
    db.flush()
    return dj


def _free_slug(db: Session, claims: Mapping) -> str:
    for slug in oidc_claims.slug_candidates(claims):
        if db.exec(select(DJ.id).where(DJ.slug == slug)).first() is None:
            return slug
    raise OidcRefused("account")
