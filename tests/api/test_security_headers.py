"""Security headers on every response, and stored URLs that are not http(s) never become links."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web.links import web_link
from store import open_store
from tests.api.conftest import make_settings
from tests.api.factories import announcement


@pytest.mark.parametrize("path", ["/", "/reaction", "/announcements", "/announcements/nope", "/summary/cities",
                                  "/summary/cities?format=csv", "/health", "/static/app.js", "/openapi.json",
                                  "/announcements?size=-1", "/no-such-page"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert re.search(r"script-src 'self'(;|$)", csp), csp  # no inline script anywhere but /docs
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/reaction", "/reaction?kind=post"):
        html = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert "<style" not in html and " style=" not in html and not re.search(r"\son[a-z]+=", html), path


def test_docs_runs_no_inline_script_and_gets_the_same_policy(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == client.get("/").headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)
    scripts = re.findall(r'<script src="([^"]+)"', response.text)
    assert scripts and all(src.startswith("/") and not src.startswith("//") for src in scripts)
    for src in scripts:  # each script the page names is served here
        assert client.get(src).status_code == 200, src


@pytest.mark.parametrize("url, linked", [
    ("https://www.km.gov.cn/a/1.html", True),
    ("http://127.0.0.1:8765/gov/x.html", True),
    ("javascript:alert(document.cookie)", False),
    ("  JaVaScRiPt:alert(1)", False),
    ("java\tscript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox", False),
    ("//evil.example/x", False),
    ("/relative/path", False),
    ("", False),
])
def test_only_http_urls_are_links(url, linked):
    assert (web_link(url) is not None) == linked


def test_a_javascript_url_in_the_store_is_shown_not_linked(tmp_path):
    url = f"sqlite:///{tmp_path / 'xss.db'}"
    store = open_store(url)
    bad = announcement(id="evil1", url="javascript:alert(document.domain)", title="关于停止更新政务微博的公告",
                       body="停止更新", city="昆明市", province="云南省")
    store.upsert("announcement", [bad])
    try:
        with TestClient(create_app(make_settings(url), store)) as c:
            for path in ("/announcement/evil1", "/?q=停止更新"):
                html = c.get(path).text
                assert "javascript:alert(document.domain)" in html, path  # shown as text…
                assert 'href="javascript:' not in html.lower(), path  # …never as a link
    finally:
        store.close()
