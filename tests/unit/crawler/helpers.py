"""Responses and pages for the crawler unit tests: saved pages of the offline web and small
fixtures of our own (``pages/``), turned into Scrapy responses as they come off the wire."""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse

PAGES = Path(__file__).parent / "pages"
WEB = Path(__file__).resolve().parents[3] / "demo" / "web"


def html_response(url: str, html: str, encoding: str = "utf-8", content_type: str | None = None) -> HtmlResponse:
    """Bytes in ``encoding`` and the Content-Type header a server would send (none when
    ``content_type`` is None, as old IIS sites do)."""
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url, body=html.encode(encoding), headers=headers)


def saved_page(relative: str) -> str:
    """A page of the offline web (``demo/web/…``), as its UTF-8 source."""
    return (WEB / relative).read_text(encoding="utf-8")


def fixture_page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")
