"""The header policy: script hashes of the served document, never 'unsafe-eval', HSTS only under https."""

import base64
import gzip
import hashlib

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from pika.settings import Settings
from pika.web_security import Policy, SecurityHeaders, inline_script_hashes, socket_origin

PAGE = b'<html><head><script>window.a = 1;</script><script src="/x.js"></script></head>' \
       b'<body><script type="module">import "/m.js";</script><script>window.a = 1;</script></body></html>'


def sha(text: bytes) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text).digest()).decode()}'"


def test_hashes_each_inline_script_once_and_skips_external_ones():
    assert inline_script_hashes(PAGE) == [sha(b"window.a = 1;"), sha(b'import "/m.js";')]


def test_socket_origin_follows_the_api_scheme():
    assert socket_origin("https://pika.example/path") == "wss://pika.example"
    assert socket_origin("http://127.0.0.1:3000") == "ws://127.0.0.1:3000"


def _client(public_url: str = "http://127.0.0.1:3000", api_url: str = "http://127.0.0.1:3000") -> TestClient:
    async def page(_):
        return HTMLResponse(PAGE)

    async def gz_page(_):
        return Response(gzip.compress(PAGE), media_type="text/html", headers={"content-encoding": "gzip"})

    async def not_modified(_):
        return Response(status_code=304, headers={"etag": '"abc"'})

    async def api(_):
        return JSONResponse({"ok": True})

    async def boom(_):
        raise RuntimeError("a bug")

    inner = Starlette(routes=[Route("/", page), Route("/gz", gz_page), Route("/api", api), Route("/boom", boom),
                           Route("/cached", not_modified)])
    app = SecurityHeaders(inner, Policy(public_url=public_url, api_url=api_url))
    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize("path", ["/", "/gz"])
def test_a_page_allows_exactly_its_own_inline_scripts(path):
    r = _client().get(path)
    csp = r.headers["content-security-policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script_src == " ".join(["script-src 'self'", sha(b"window.a = 1;"), sha(b'import "/m.js";')])
    assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    assert "connect-src 'self' ws://127.0.0.1:3000" in csp
    assert r.content == PAGE  # the body passes unchanged


def test_every_response_gets_the_headers_even_a_500():
    client = _client()
    for path, status in (("/api", 200), ("/nowhere", 404), ("/boom", 500)):
        r = client.get(path)
        assert r.status_code == status
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "strict-transport-security" not in r.headers


def test_a_304_keeps_the_cached_pages_policy():
    # Browsers merge a 304's headers into the cached response: a hash-less policy would break the page.
    r = _client().get("/cached")
    assert r.status_code == 304
    assert "content-security-policy" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff"


def test_hsts_and_wss_under_https_and_a_separate_api_origin():
    r = _client("https://pika.example", "https://api.pika.example").get("/api")
    assert r.headers["strict-transport-security"] == "max-age=31536000"
    csp = r.headers["content-security-policy"]
    assert "connect-src 'self' https://api.pika.example wss://api.pika.example" in csp


def test_cors_defaults_to_the_public_origin_only():
    assert Settings(public_url="https://pika.example/join").cors_origins_list == ["https://pika.example"]
    assert Settings(cors_origins="https://a.example/, https://b.example").cors_origins_list == [
        "https://a.example", "https://b.example"]
