"""Security headers on every response: the browser runs only the app's own files.

- ``Content-Security-Policy``: scripts, styles, images and fetches from this origin only, no
  inline script or style (the page's behaviour is ``static/app.js``, its look ``static/style.css``),
  no plugins, no ``<base>`` rewriting, forms post only here, and ``frame-ancestors 'none'``
  so no other site can frame the page (clickjacking);
- ``X-Content-Type-Options: nosniff``: a JSON or CSV answer is never run as a script;
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``;
- ``Referrer-Policy``: a reader's search terms do not travel to the government site they open.

The one exception is ``/docs``: FastAPI's Swagger page starts itself with an inline script
written by FastAPI (no stored text reaches it). That page gets the same policy with that
script's SHA-256 allowed — not ``'unsafe-inline'`` — computed from the page as served.
A pure ASGI middleware, so streamed exports keep streaming.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

POLICY = ("default-src 'self'; script-src 'self'{scripts}; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")
FIXED_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
# Pages whose inline scripts are the framework's own and allowed by hash.
FRAMEWORK_PAGES = frozenset({"/docs", "/docs/oauth2-redirect"})
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def policy(script_hashes: list[str] = ()) -> str:
    return POLICY.format(scripts="".join(f" 'sha256-{h}'" for h in script_hashes))


def inline_script_hashes(html: bytes) -> list[str]:
    return [base64.b64encode(hashlib.sha256(body).digest()).decode("ascii") for body in _INLINE_SCRIPT.findall(html)]


class SecurityHeaders:
    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope.get("path") in FRAMEWORK_PAGES:
            await self._framework_page(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _headers(message.get("headers", []), policy())
            await send(message)

        await self.app(scope, receive, with_headers)

    async def _framework_page(self, scope, receive, send) -> None:
        """Hold the (small, generated) page to hash its inline scripts into the policy."""
        start: dict | None = None
        body = bytearray()

        async def hold(message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                headers = _headers(start.get("headers", []), policy(inline_script_hashes(bytes(body))))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": bytes(body)})
                return
            await send(message)

        await self.app(scope, receive, hold)


def _headers(headers: list, csp: str) -> list:
    names = {name.lower() for name, _ in headers}
    out = list(headers)
    if b"content-security-policy" not in names:
        out.append((b"content-security-policy", csp.encode("ascii")))
    out.extend((name, value) for name, value in FIXED_HEADERS if name not in names)
    return out
