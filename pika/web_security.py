"""Security headers on every HTTP response the app sends: pages, build assets, the API, errors.

Installed as the last `api_transformer` (pika/pika.py), so it wraps the FastAPI app, which wraps
Reflex's own Starlette app: the prerendered pages and assets (Reflex's frontend mount), `/ping`,
the socket path's HTTP answers and the agent API all pass through it, including the 500s that
FastAPI's outermost error middleware writes. Only Reflex's top-level app sits outside it, and it
adds nothing but CORS preflight answers (no document, nothing a browser renders).

The Content-Security-Policy:
- script-src 'self' plus the SHA-256 of each inline script of THE document being served. The
  prerendered pages carry a few inline scripts (colour-mode setup, React Router's context and
  module imports, React's streaming helpers), identical on every load of a build, so hashes work
  where a nonce cannot (the pages are static files). Hashing the response itself keeps the list
  exact for every page, the 404 page and the offline page, whatever the build. No 'unsafe-eval':
  Reflex only evals for rx.call_script / dynamic components, which Pika does not use.
- style-src 'unsafe-inline': Emotion (Reflex's `css` props) injects <style> elements at run time
  and Radix writes `style="--radix-…"` attributes; neither can carry a hash or a nonce from a
  static prerender. Styles cannot run code, so this is the usual, accepted exception.
- connect-src: the page's own origin plus ws(s):// of API_URL, where Reflex opens its socket.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC_ATTR = re.compile(rb"\bsrc\s*=", re.IGNORECASE)
# FastAPI's Swagger page (/api/v1/docs) loads its bundle from jsDelivr and its icon from FastAPI's site.
_DOCS_ORIGINS = "https://cdn.jsdelivr.net https://fastapi.tiangolo.com"
_MAX_CACHED = 256


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def socket_origin(api_url: str) -> str:
    """`https://pika.example` → `wss://pika.example`: where Reflex's socket connects."""
    origin = _origin(api_url)
    return origin.replace("https://", "wss://", 1) if origin.startswith("https://") else origin.replace(
        "http://", "ws://", 1)


def inline_script_hashes(html: bytes) -> list[str]:
    """CSP source expressions for every inline <script> of a document, in order, without repeats."""
    hashes: list[str] = []
    for match in _INLINE_SCRIPT.finditer(html):
        if _SRC_ATTR.search(match.group(1)):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group(2)).digest()).decode()
        source = f"'sha256-{digest}'"
        if source not in hashes:
            hashes.append(source)
    return hashes


class Policy:
    """Builds the header set; the script hashes are the only part that varies by document."""

    def __init__(self, *, public_url: str, api_url: str, form_origins: Iterable[str] = (),
                 docs_prefix: str = "/api/v1/docs") -> None:
        api_origin = _origin(api_url)
        own = "'self'" if api_origin == _origin(public_url) else f"'self' {api_origin}"
        self.docs_prefix = docs_prefix
        self._directives: dict[str, str] = {
            "default-src": "'self'",
            "script-src": "'self'",  # + the document's inline-script hashes
            # Inline styles: Emotion and Radix (see the module docstring).
            "style-src": "'self' 'unsafe-inline'",
            "img-src": f"{own} data: blob:",  # the QR code comes from API_URL
            "font-src": "'self' data:",
            "connect-src": f"{own} {socket_origin(api_url)}",
            "manifest-src": "'self'",
            "worker-src": "'self'",  # the PWA's service worker
            "object-src": "'none'",
            "base-uri": "'self'",
            "form-action": " ".join(["'self'", *form_origins]),  # OIDC sign-in posts on to the issuer
            "frame-ancestors": "'none'",
        }
        self.common: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers that predate CSP 2
        ]
        if public_url.startswith("https://"):
            # Only over HTTPS: on plain http a browser ignores it, and localhost must stay reachable.
            self.common.append((b"strict-transport-security", b"max-age=31536000"))

    def csp(self, script_hashes: Iterable[str] = (), *, docs: bool = False) -> bytes:
        directives = dict(self._directives)
        directives["script-src"] = " ".join(["'self'", *script_hashes])
        if docs:
            for name in ("script-src", "style-src", "img-src"):
                directives[name] += f" {_DOCS_ORIGINS}"
        return "; ".join(f"{name} {sources}" for name, sources in directives.items()).encode()


def _decoded(body: bytes, encoding: str) -> bytes | None:
    """The HTML of a (possibly precompressed) response; None for an encoding we cannot read."""
    try:
        if encoding in ("", "identity"):
            return body
        if encoding == "gzip":
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error, EOFError):
        return None
    return None


class SecurityHeaders:
    """Pure ASGI middleware (no BaseHTTPMiddleware: that would buffer every streamed response)."""

    def __init__(self, app: ASGIApp, policy: Policy) -> None:
        self.app = app
        self.policy = policy
        self._csp_by_page: OrderedDict[bytes, bytes] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)  # websockets and lifespan carry no documents
            return
        docs = scope.get("path", "").startswith(self.policy.docs_prefix)
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_with_headers(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if message["status"] == 304:
                    # The browser keeps its cached copy AND merges these headers into it: a policy
                    # here, without the body's hashes, would replace the cached page's own policy.
                    await send({**message, "headers": headers + self.policy.common})
                    return
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    start = message  # hold it: the CSP depends on the scripts in the body
                    return
                headers.extend(self.policy.common)
                headers.append((b"content-security-policy", self.policy.csp(docs=docs)))
                await send({**message, "headers": headers})
                return
            if start is None:
                await send(message)
                return
            if message["type"] == "http.response.pathsend":
                # Granian lets Starlette's FileResponse hand over the file's path instead of its
                # bytes; the page is a few kB from the build folder, so read it to hash its scripts.
                await send_page(Path(message["path"]).read_bytes())
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            await send_page(body)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        async def send_page(body: bytes) -> None:
            assert start is not None
            headers = list(start.get("headers", []))
            encoding = next((v for k, v in headers if k.lower() == b"content-encoding"), b"").decode().lower()
            headers.extend(self.policy.common)
            headers.append((b"content-security-policy", self._page_csp(body, encoding, docs)))
            await send({**start, "headers": headers})

        await self.app(scope, receive, send_with_headers)

    def _page_csp(self, body: bytes, encoding: str, docs: bool) -> bytes:
        key = hashlib.sha256(body).digest() + (b"d" if docs else b"")
        cached = self._csp_by_page.get(key)
        if cached is not None:
            self._csp_by_page.move_to_end(key)
            return cached
        html = _decoded(body, encoding)
        csp = self.policy.csp(inline_script_hashes(html) if html else (), docs=docs)
        self._csp_by_page[key] = csp
        if len(self._csp_by_page) > _MAX_CACHED:
            self._csp_by_page.popitem(last=False)
        return csp


def security_headers() -> Callable[[ASGIApp], ASGIApp]:
    """The api_transformer that wraps the whole backend app, configured from the settings."""
    from pika.settings import get_settings

    settings = get_settings()
    form_origins = [_origin(settings.oidc_issuer)] if settings.oidc_issuer else []
    policy = Policy(public_url=settings.public_url, api_url=settings.api_url, form_origins=form_origins)
    return lambda app: SecurityHeaders(app, policy)
