"""What Pika takes from an OIDC ID token: the e-mail, a display name and a free slug.

Plain functions over the claims dict, so the rules are testable without a provider.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator, Mapping

from pika.domain import accounts
from pika.domain.tracks import display_name

SUBJECT_MAX = 255  # the `sub` claim is at most 255 ASCII characters (OIDC Core §2)
SLUG_MAX = 32
_NUMBERED = 99  # "nova-2" … "nova-99" before falling back to a hash of the subject
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WORD_SEPARATORS = re.compile(r"[._+\-]+")


def claims_problem(claims: Mapping) -> str | None:
    """Why Pika cannot use these claims ("token": no usable subject, "email": no address), or None."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > SUBJECT_MAX:
        return "token"
    if email_from(claims) is None:
        return "email"
    return None


def email_from(claims: Mapping) -> str | None:
    """The normalised e-mail address, or None when it is absent or not an address."""
    email = claims.get("email")
    if not isinstance(email, str):
        return None
    email = accounts.normalize_email(email)
    return None if accounts.email_problem(email) else email


def email_is_verified(claims: Mapping) -> bool:
    # Some providers (AWS Cognito among them) send the boolean as the string "true".
    verified = claims.get("email_verified")
    return verified is True or (isinstance(verified, str) and verified.lower() == "true")


def display_name_from(claims: Mapping) -> str:
    """The friendliest name the provider gave, else one made from the e-mail's local part."""
    given = " ".join(p for p in (_text(claims, "given_name"), _text(claims, "family_name")) if p)
    for candidate in (_text(claims, "name"), given, _text(claims, "preferred_username"), _text(claims, "nickname")):
        if candidate:
            return candidate[: accounts.DISPLAY_NAME_MAX].strip()
    local = (email_from(claims) or "").split("@")[0]
    words = [w.capitalize() for w in _WORD_SEPARATORS.split(local) if w]
    return (" ".join(words) or "DJ")[: accounts.DISPLAY_NAME_MAX].strip()


def slugify(text: str) -> str:
    """Lower-case ASCII letters, digits and single dashes; accents folded ("Zoë" → "zoe")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:SLUG_MAX].strip("-")


def slug_candidates(claims: Mapping) -> Iterator[str]:
    """Valid slugs in order of preference; the caller takes the first one nobody has.

    "Nova", then "nova-2" … "nova-99": a numbered name reads better on a public profile than a
    slug made from the e-mail, which is only the fallback for names that give no usable slug.
    """
    local = (email_from(claims) or "").split("@")[0]
    for source in (display_name_from(claims), _text(claims, "preferred_username"), local):
        base = slugify(source)
        if accounts.slug_problem(base) is None:
            yield base
            for n in range(2, _NUMBERED + 1):
                yield _with_suffix(base, f"-{n}")
            break
    # Names in other scripts fold to nothing; a hash of the subject is stable and never reserved.
    digest = hashlib.sha256(str(claims.get("sub", "")).encode()).hexdigest()
    for length in (6, 10, 16):
        yield f"dj-{digest[:length]}"


def _with_suffix(base: str, suffix: str) -> str:
    return base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix


def _text(claims: Mapping, key: str) -> str:
    value = claims.get(key)
    return display_name(value) if isinstance(value, str) else ""
