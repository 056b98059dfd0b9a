"""Bearer-token authentication for the agent API."""

from __future__ import annotations

from fastapi import Header, HTTPException
from starlette.concurrency import run_in_threadpool

from pika.db import session_scope
from pika.models import DJ
from pika.services.accounts import dj_for_token

_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def _lookup(raw: str) -> DJ | None:
    with session_scope() as db:
        return dj_for_token(db, raw)


async def current_dj(authorization: str | None = Header(default=None, max_length=300)) -> DJ:
    """The DJ behind the request's bearer token; 401 with a message the agent can show."""
    if not authorization:
        raise HTTPException(401, "Missing API token: send 'Authorization: Bearer pk_dj_…'.", headers=_CHALLENGE)
    scheme, _, raw = authorization.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise HTTPException(401, "Malformed Authorization header: expected 'Bearer <token>'.", headers=_CHALLENGE)
    dj = await run_in_threadpool(_lookup, raw.strip())
    if dj is None:
        raise HTTPException(401, "This API token is unknown or has been revoked. Create a new one in your dashboard.", headers=_CHALLENGE)
    return dj
