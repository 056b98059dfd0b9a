"""The FastAPI app mounted beside the Reflex UI (`rx.App(api_transformer=...)`)."""

from __future__ import annotations

from fastapi import FastAPI

from pika import routes
from pika.api import (
    errors,
    floor_routes,  # noqa: F401  (registers its endpoints on the router)
)
from pika.api.limits import BodySizeLimit
from pika.api.routes import router
from pika.settings import get_settings
from pika.web import oidc
from pika.web.routes import router as web_router


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
    api.include_router(web_router)  # /auth form posts of DJ accounts (pika/web/routes.py)
    api.include_router(oidc.router)  # /auth/oidc round trip (pika/web/oidc.py)

    @api.api_route(f"{routes.API_PREFIX}/{{path:path}}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                   include_in_schema=False)
    async def unknown_endpoint(path: str):
        # Registered last; without it, unknown API paths would fall through to the web app's HTML.
        return errors.error_response(404, "not_found", f"No API endpoint {routes.API_PREFIX}/{path}.")

    api.add_middleware(BodySizeLimit, max_bytes=get_settings().max_body_bytes)
    return api
