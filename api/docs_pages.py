"""/docs (Swagger UI) with no CDN: the assets come from an installed package
(fastapi-offline ships Swagger UI's bundle) and are served by the app, so the API docs work
on a machine with no internet. FastAPI's own page loads them from a CDN and was blank
offline. The page carries no inline script (the start-up code is
``static/docs/swagger-init.js``), so a CSP that forbids inline scripts leaves it working.
No ReDoc page: its bundle always fetches a logo from its vendor's CDN.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs-assets"

_SWAGGER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – API docs</title>
<link rel="icon" href="{root}{assets}/favicon.png">
<link rel="stylesheet" href="{root}{assets}/swagger-ui.css">
</head><body>
<div id="swagger-ui" data-openapi-url="{root}{openapi}"></div>
<script src="{root}{assets}/swagger-ui-bundle.js"></script>
<script src="{root}/static/docs/swagger-init.js"></script>
</body></html>
"""


def install_offline_docs(app: FastAPI, docs_url: str = "/docs") -> None:
    """Serve the docs page and its assets (call on an app built with docs_url=None)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    def render(template: str, request: Request) -> HTMLResponse:
        return HTMLResponse(template.format(title=escape(app.title), root=request.scope.get("root_path", ""),
                                            assets=ASSETS_URL, openapi=app.openapi_url))

    @app.get(docs_url, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        return render(_SWAGGER_PAGE, request)
