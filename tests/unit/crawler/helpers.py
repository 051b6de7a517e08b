"""Responses and pages for the crawler unit tests: saved pages of the offline web and small
fixtures of our own (``pages/``), turned into Scrapy responses as they come off the wire."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


_NOT_TEXT = re.compile(r"[\s|\-:：]+")


def compact(text: str) -> str:
    """Text without spaces, table pipes, rules and colons: what stays the same whether a
    table comes out as "| a | b |" rows or "a b" lines."""
    return _NOT_TEXT.sub("", text)


@dataclass(frozen=True)
class BodyCheck:
    missing: list[str]  # gold lines the extracted body lacks (truncated or lost text)
    extra: list[str]  # extracted lines that are not the notice's (title, sidebar, footer, metadata)


def check_body(body: str, gold_lines: tuple[str, ...] | list[str]) -> BodyCheck:
    """An extracted body against the notice's own lines (``expected.yaml`` ``body``)."""
    have, gold = compact(body), compact("".join(gold_lines))
    missing = [line for line in gold_lines if compact(line) not in have]
    extra = [line for line in body.splitlines() if compact(line) and compact(line) not in gold]
    return BodyCheck(missing, extra)
