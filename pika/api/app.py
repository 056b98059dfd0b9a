"""The FastAPI app mounted beside the Reflex UI (`rx.App(api_transformer=...)`)."""

from __future__ import annotations

from fastapi import FastAPI

from pika import routes
from pika.api import errors
from pika.api.limits import BodySizeLimit
from pika.api.routes import router
from pika.settings import get_settings


def create_api() -> FastAPI:
    api = FastAPI(
        title="Pika! agent API",
        version="1",
        description="What the DJ's terminal agent uses to run a live session.",
        openapi_url=f"{routes.API_PREFIX}/openapi.json",
        docs_url=f"{routes.API_PREFIX}/docs",
        redoc_url=None,
    )
    errors.install(api)
    api.include_router(router)
    api.add_middleware(BodySizeLimit, max_bytes=get_settings().max_body_bytes)
    return api
