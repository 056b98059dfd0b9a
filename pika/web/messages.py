"""What a page says for each error code the `/auth` form posts send back in the query string."""

from __future__ import annotations

from pika.domain.passwords import PASSWORD_MAX, PASSWORD_MIN

FORM_EXPIRED = "Your form expired, please try again."
WRONG_CREDENTIALS = "Email or password is wrong"  # the same for every reason: no account enumeration

MESSAGES = {
    "expired": FORM_EXPIRED,
    "wrong": WRONG_CREDENTIALS,
    "email": "Please enter a valid e-mail address.",
    "email_taken": "An account with this e-mail address already exists. Sign in instead.",
    "name": "Please enter a display name (at most 80 characters).",
    "slug": "The profile address must be 2–32 characters: lower-case letters, digits and dashes "
            "(not at the start or end).",
    "slug_reserved": "This profile address is reserved; please choose another.",
    "slug_taken": "This profile address is taken; please choose another.",
    "taken": "This e-mail address or profile address was taken a moment ago; please try another.",
    "password_short": f"The password must be at least {PASSWORD_MIN} characters.",
    "password_long": f"The password can be at most {PASSWORD_MAX} characters.",
}
# `/dj/sign-in?error=<code>` → what the DJ reads there. Prefixed so the codes never clash with
# the password forms' codes above on the same page.
OIDC_MESSAGES = {
    "oidc_not_configured": "Sign-in with an organisation account is not set up on this server.",
    "oidc_unavailable": "The sign-in provider could not be reached. Please try again in a moment.",
    "oidc_state": "That sign-in attempt expired or was already used. Please start again.",
    "oidc_denied": "Sign-in was cancelled at the provider.",
    "oidc_provider": "The sign-in provider refused the request. Please try again.",
    "oidc_token": "The sign-in provider's answer could not be verified. Please try again.",
    "oidc_email": "Your sign-in provider did not share an e-mail address, which Pika! needs for your account.",
    "oidc_email_unverified": "A Pika! account with this e-mail already exists, but your provider has not "
                             "verified the address, so it was not linked. Sign in with your password instead.",
    "oidc_email_taken": "The Pika! account with this e-mail is already linked to another sign-in.",
    "oidc_account": "Your Pika! account could not be set up. Please try again.",
}
NOTICES = {"signed_out": "You are signed out."}


def message_for(code: str) -> str:
    if not code:
        return ""
    return MESSAGES.get(code) or OIDC_MESSAGES.get(code) or "Something went wrong, please try again."
