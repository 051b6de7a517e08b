"""Security headers on every response: the browser runs only the app's own files.

- ``Content-Security-Policy``: scripts, styles, images and fetches from this origin only, no
  inline script or style (the page's behaviour is ``static/app.js``, its look ``static/style.css``),
  no plugins, no ``<base>`` rewriting, forms post only here, and ``frame-ancestors 'none'``
  so no other site can frame the page (clickjacking);
- ``X-Content-Type-Options: nosniff``: a JSON or CSV answer is never run as a script;
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors``;
- ``Referrer-Policy``: a reader's search terms do not travel to the government site they open.

``/docs`` is no exception: its Swagger page starts itself from ``static/docs/swagger-init.js``
(``api/docs_pages.py``), not an inline script.
A pure ASGI middleware, so streamed exports keep streaming.
"""

from __future__ import annotations

from typing import Any

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")
FIXED_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)


class SecurityHeaders:
    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _headers(message.get("headers", []), POLICY)
            await send(message)

        await self.app(scope, receive, with_headers)


def _headers(headers: list, csp: str) -> list:
    names = {name.lower() for name, _ in headers}
    out = list(headers)
    if b"content-security-policy" not in names:
        out.append((b"content-security-policy", csp.encode("ascii")))
    out.extend((name, value) for name, value in FIXED_HEADERS if name not in names)
    return out
