"""A real SQLite store filled once per session from the factories, and an app over it.

The API tests only read, so one store serves them all; tests that need a broken or empty
store build their own in ``tmp_path``.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.factories import Corpus, build_corpus, filled_store
from core.config import Settings

# Lower than the default 100 so the tests prove the limit comes from settings.
TEST_MAX_PAGE_SIZE = 50


def make_settings(store_url: str, **overrides) -> Settings:
    return Settings(store=store_url, dev=True, max_page_size=TEST_MAX_PAGE_SIZE, **overrides)


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return build_corpus()


@pytest.fixture(scope="session")
def store_url(tmp_path_factory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"


@pytest.fixture(scope="session")
def store(store_url, corpus):
    s = filled_store(store_url, corpus)
    yield s
    s.close()


@pytest.fixture(scope="session")
def settings(store_url) -> Settings:
    return make_settings(store_url)


@pytest.fixture(scope="session")
def client(settings, store):
    with TestClient(create_app(settings, store)) as c:
        yield c
