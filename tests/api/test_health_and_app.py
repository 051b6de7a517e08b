"""GET /health, router discovery, OpenAPI, and models that keep up with the schema."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import fields

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

import api.routes
from api.app import create_app
from api.models.accounts import AccountPublic
from api.models.watching import AlertPublic
from api.models.announcements import AnnouncementPublic
from api.models.comments import CommentPublic
from api.models.crawl_runs import CrawlRunPublic
from api.models.posts import PostPublic
from core.schema import KINDS, SCHEMAS
from tests.api.conftest import make_settings
from core import __version__


def test_health_reports_store_counts_and_version(client, corpus):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["version"] == __version__
    assert body["store"]["ok"] is True and body["store"]["backend"] == "sqlite"
    stored = corpus.by_kind()
    assert body["counts"] == {kind: len(stored.get(kind, [])) for kind in KINDS}  # kinds it has none of: 0


def test_every_router_module_is_mounted(client):
    """Discovery: each route of each ``api/routes`` module answers (a missing one would be
    the app's own "no route" 404)."""
    checked = 0
    for info in pkgutil.iter_modules(api.routes.__path__):
        router = getattr(importlib.import_module(f"api.routes.{info.name}"), "router", None)
        if not isinstance(router, APIRouter):
            continue
        for route in router.routes:
            if "GET" not in getattr(route, "methods", ()):
                continue
            response = client.get(route.path.replace("{doc_id}", "x"))
            assert "no route" not in response.text, (info.name, route.path)
            checked += 1
    assert checked >= 13


def test_openapi_documents_routes_and_parameters(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/health", "/announcements", "/announcements/{doc_id}", "/accounts", "/accounts/summary",
                 "/posts", "/posts/{doc_id}", "/comments", "/summary/cities", "/summary/themes",
                 "/summary/timeline", "/crawl-runs"):
        assert path in spec["paths"], path
    params = {p["name"]: p for p in spec["paths"]["/announcements"]["get"]["parameters"]}
    assert {"q", "city", "province", "district", "platform", "theme", "date_from", "date_to", "sort", "page",
            "size", "cursor"} <= set(params)
    assert all(p.get("description") for p in params.values())
    assert "/" not in spec["paths"]  # the HTML page is not part of the API


@pytest.mark.parametrize("kind,model,left_out", [
    ("announcement", AnnouncementPublic, {"versions"}),  # served by /announcements/{id}/history
    ("account", AccountPublic, set()),
    ("post", PostPublic, set()),
    ("comment", CommentPublic, set()),
    ("crawl_run", CrawlRunPublic, set()),
    ("alert", AlertPublic, set()),
])
def test_public_models_publish_every_schema_field(kind, model, left_out):
    """A field added to core/schema.py must reach the API (or be left out on purpose here)."""
    assert {f.name for f in fields(SCHEMAS[kind])} - left_out <= set(model.model_fields)


def test_app_factory_builds_nothing_at_import_and_apps_are_independent(tmp_path):
    import api.app

    assert not any(hasattr(api.app, name) for name in ("app", "application"))
    one = create_app(make_settings(f"sqlite:///{tmp_path / 'one.db'}"))
    two = create_app(make_settings(f"sqlite:///{tmp_path / 'two.db'}"))
    assert one is not two
    with TestClient(one) as c:
        assert c.get("/health").json()["store"]["detail"].split(" (")[0].endswith("one.db")
    assert (tmp_path / "one.db").exists() and not (tmp_path / "two.db").exists()


def test_a_served_app_freezes_its_startup_heap_and_a_test_app_does_not(settings):
    import gc

    before = gc.get_freeze_count()
    with TestClient(create_app(settings)):
        assert gc.get_freeze_count() == before
    try:
        with TestClient(create_app(settings, served=True)) as client:
            assert gc.get_freeze_count() > before  # the models and the open store, out of the collector's walk
            assert client.get("/health").status_code == 200
    finally:
        gc.unfreeze()
