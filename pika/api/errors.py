"""Every error is a JSON `{error, detail}` with a 4xx status (503 while Redis is away); a 500 is a bug."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from pika.services.errors import ServiceError

log = logging.getLogger(__name__)

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests"}


def error_response(status: int, error: str, detail: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def _describe(errors: list[dict]) -> str:
    parts = []
    for err in errors[:10]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", "invalid"))
    return "; ".join(parts)


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service(_: Request, exc: ServiceError):
        return error_response(exc.status, exc.code, exc.detail)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "Request refused."
        return error_response(exc.status_code, _CODES.get(exc.status_code, "error"), detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        errors = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errors):
            return error_response(400, "malformed_json", "The request body is not valid JSON.")
        return error_response(422, "invalid", _describe(errors))

    async def _redis_away(_: Request, exc: Exception):
        # Redis restarting or unreachable: what reached the database is kept, and the agent sends
        # it again (its retry of a stored play pushes it to the floor then: see routes._record).
        log.warning("Redis unavailable during a request: %s", exc)
        return error_response(503, "unavailable", "The live room is briefly unavailable; try again in a moment.",
                              {"Retry-After": "2"})

    app.add_exception_handler(RedisConnectionError, _redis_away)
    app.add_exception_handler(RedisTimeoutError, _redis_away)

    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError):
        # Two requests raced to create the same row; the client may simply retry.
        log.warning("integrity conflict: %s", exc.orig)
        return error_response(409, "conflict", "A concurrent request changed the same data; please retry.")
