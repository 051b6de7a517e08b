"""`yuqing serve`: the API and web page; `yuqing serve --get PATH` for one request in-process."""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings

import typer

from core.config import Settings
from yuqing.checks import STORE_HELP, load_settings


def _settings(store: str | None, host: str | None, port: int | None, workers: int | None = None) -> Settings:
    return load_settings(store=store, host=host, port=port, workers=workers)


def run_one_request(settings: Settings, path: str) -> tuple[int, str]:
    """Answer one GET in-process (no socket): status and the body, JSON pretty-printed."""
    with warnings.catch_warnings():
        # Starlette nags about its httpx-based test client; irrelevant to one local request.
        warnings.filterwarnings("ignore", message=".*starlette.testclient.*")
        from fastapi.testclient import TestClient

    from api.app import create_app

    logging.getLogger("httpx").setLevel(logging.WARNING)  # keep stdout/stderr to the answer

    if not path.startswith("/"):
        path = "/" + path
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get(path)
    try:
        body = json.dumps(response.json(), ensure_ascii=False, indent=2)
    except ValueError:
        body = response.text
    return response.status_code, body


def serve(
    store: str | None = typer.Option(None, "--store", help=STORE_HELP),
    host: str | None = typer.Option(None, "--host", help="Address to listen on (default: $YUQING_HOST, 127.0.0.1). "
                                    "Example: --host 0.0.0.0 to accept connections from other machines."),
    port: int | None = typer.Option(None, "--port", min=1, max=65535,
                                    help="Port to listen on (default: $YUQING_PORT, 8000). Example: --port 8080"),
    workers: int | None = typer.Option(None, "--workers", min=1, max=32,
                                       help="Processes answering requests (default: $YUQING_WORKERS, 1); each "
                                       "opens the store itself. Example: --workers 2 on a 2-core machine "
                                       "serving several clients at once."),
    get: str | None = typer.Option(None, "--get", metavar="PATH", help="Answer one GET request in-process, print "
                                   "the JSON and exit (non-zero when the status is 400 or more); no server is "
                                   "started. Example: --get '/announcements?q=关停&size=5'"),
) -> None:
    """Serve the API (JSON, OpenAPI at /docs) and the search page.

    Examples: `yuqing serve`, `yuqing serve --store sqlite:///data/yuqing.db --port 8080`,
    `yuqing serve --workers 2`, `yuqing serve --get /health`.
    """
    settings = _settings(store, host, port, workers)
    _settle_dead_runs(settings)

    if get is not None:
        status, body = run_one_request(settings, get)
        typer.echo(body)
        if status >= 400:
            typer.echo(f"HTTP {status}", err=True)
            raise typer.Exit(code=1)
        return

    from api.app import create_app
    from api.http_server import port_problem, run

    problem = port_problem(settings.host, settings.port)
    if problem:
        typer.echo(f"error: {problem} (another server running?); pick another, e.g. --port {settings.port + 1}", err=True)
        raise typer.Exit(code=2)
    shown = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    typer.echo(f"yuqing API and search page: http://{shown}:{settings.port}/  (OpenAPI: http://{shown}:{settings.port}/docs)")
    sys.stdout.flush()
    if settings.workers > 1:
        # Each worker builds its app from YUQING_*: the options given here go there first.
        os.environ.update(YUQING_STORE=settings.store, YUQING_HOST=settings.host, YUQING_PORT=str(settings.port))
        app = "api.app:app_from_environment"
    else:
        app = create_app(settings, served=True)
    run(app, host=settings.host, port=settings.port, log_level=settings.log_level.lower(), workers=settings.workers)


def _settle_dead_runs(settings: Settings) -> None:
    """Crawl runs whose process died (kill -9) stop saying "running" (store/crawl_runs.py).
    Best effort: a store that is down now is checked by the next crawl run instead."""
    from store import open_store
    from store.crawl_runs import mark_interrupted
    from store.errors import StoreError

    try:
        st = open_store(settings.store, **settings.store_options())
        try:
            for run_id in mark_interrupted(st):
                typer.echo(f"crawl run {run_id} had stopped without closing (process gone): marked interrupted", err=True)
        finally:
            st.close()
    except StoreError as exc:
        typer.echo(f"could not check crawl runs (store unavailable: {exc})", err=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
