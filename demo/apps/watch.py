"""A government notice column that changes between crawls, for the "watching over time" tests.

``/watch/`` is a TRS-style city site (昆明-like templates, its own city: 曲靖市) whose
通知公告 list (``/watch/tzgg/``, 5 notices a page) moves through *epochs*:

- epoch 0: notices 1-40 (8 list pages), all closure notices;
- epoch 1: notice 41 is new at the top; notice 38 is **edited** (its effective date moves and a
  sentence is added); notice 36 is **deleted** (gone from the list, its page answers 404);
  notice 34 is **withdrawn** (gone from the list, its page redirects to the site's home page);
- epoch 2 and later: as epoch 1 (a takedown needs confirming by a second run).

Every page answers with ``ETag`` and ``Last-Modified`` and honours ``If-None-Match`` /
``If-Modified-Since`` with a 304, as nginx serving a CMS's static export does, except the
notices whose number is divisible by 4 (a dynamic CMS page without validators: a crawler
can only re-fetch them after a refresh interval).

Tests move the epoch with :func:`set_epoch` (in process) or ``POST /watch/_epoch?n=N``.
"""

from __future__ import annotations

import hashlib
import threading
from email.utils import format_datetime, parsedate_to_datetime
from datetime import date, datetime, time, timedelta, timezone

from demo.apps import DemoRequest, DemoResponse, html_response, not_found, redirect
from demo.gov_templates import Link, Page, trs_detail, trs_list

PREFIX = "/watch/"
ROOT = "/watch/"
LIST = "/watch/tzgg/"
PER_PAGE = 5
COUNT = 40
EDITED, DELETED, WITHDRAWN, NEW = 38, 36, 34, 41

SITE = {"name": "曲靖市人民政府", "domain": "www.qj.gov.cn", "site_code": "5303000001", "column": "通知公告",
        "icp": "滇ICP备05000999号", "police": "滇公网安备 53030202000111号", "host_org": "曲靖市人民政府办公室",
        "operator": "曲靖市大数据中心", "address": "曲靖市麒麟区南宁西路1号", "phone": "0874-3123456",
        "color": "#9c1016", "keywords": ["通知公告", "政务新媒体"]}
# Account names and the platform each notice closes (a closure notice each, so each is stored).
_ACCOUNTS = ["麒麟发布", "沾益发布", "马龙发布", "宣威发布", "富源发布", "罗平发布", "师宗发布", "陆良发布",
             "会泽发布", "曲靖教育", "曲靖交通", "曲靖文旅", "曲靖卫健"]
_PLATFORMS = ["微信公众号", "新浪微博", "抖音号"]

_state = {"epoch": 0}
_lock = threading.Lock()


def set_epoch(n: int) -> None:
    with _lock:
        _state["epoch"] = int(n)


def epoch() -> int:
    with _lock:
        return _state["epoch"]


def _day(n: int) -> date:
    return date(2024, 4, 1) + timedelta(days=n)  # notice n published n days after 1 April


def _date(n: int) -> str:
    return _day(n).isoformat()


def _path(n: int) -> str:
    d = _day(n)
    return f"{LIST}{d:%Y%m}/t{d:%Y%m%d}_{7000 + n}.html"


def notices(at_epoch: int) -> list[int]:
    """The notices on the list, newest first."""
    shown = list(range(1, COUNT + 1))
    if at_epoch >= 1:
        shown = [n for n in shown if n not in (DELETED, WITHDRAWN)] + [NEW]
    return sorted(shown, reverse=True)


def _account(n: int) -> str:
    name = _ACCOUNTS[(n - 1) % len(_ACCOUNTS)]
    return name if n <= len(_ACCOUNTS) else f"{name}{(n - 1) // len(_ACCOUNTS) + 1}号"


def _title(n: int) -> str:
    return f"关于“{_account(n)}”{_PLATFORMS[n % 3]}停止更新的公告"


def _page(n: int, at_epoch: int) -> Page:
    account, platform = _account(n), _PLATFORMS[n % 3]
    effective = "2024年6月1日"
    extra: list[str] = []
    if n == EDITED and at_epoch >= 1:
        effective = "2024年7月1日"
        extra = [f"在此之前，“{account}”{platform}仅发布重要通知，不再更新日常动态。"]
    paragraphs = [f"按照全市政务新媒体集约化建设的安排，为整合资源、减轻基层负担，经研究决定，"
                  f"自{effective}起，“{account}”{platform}停止更新。", *extra,
                  "此后相关政务信息请关注“曲靖发布”微信公众号。感谢广大网友长期以来的关注和支持！", "特此公告。"]
    return Page(title=_title(n), date=_date(n), time="09:00", source="曲靖市人民政府办公室", column="通知公告",
                paragraphs=paragraphs, sign=["曲靖市人民政府办公室", f"{_day(n).year}年{_day(n).month}月{_day(n).day}日"], attachments=[])


def _validated(request: DemoRequest, html: str, modified: datetime, validators: bool) -> DemoResponse:
    body = html.encode("utf-8")
    if not validators:
        return html_response(html)
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    headers = {"ETag": etag, "Last-Modified": format_datetime(modified, usegmt=True)}
    if request.headers.get("If-None-Match") == etag:
        return DemoResponse(304, headers, b"")
    since = request.headers.get("If-Modified-Since")
    if since and "If-None-Match" not in request.headers:
        try:
            if parsedate_to_datetime(since) >= modified:
                return DemoResponse(304, headers, b"")
        except (TypeError, ValueError):
            pass
    return html_response(html, headers=headers)


def _modified(n: int, at_epoch: int) -> datetime:
    day = datetime.combine(_day(n), time(1, 0), tzinfo=timezone.utc)
    return day + timedelta(days=30) if (n == EDITED and at_epoch >= 1) else day


def handle(request: DemoRequest) -> DemoResponse:
    now = epoch()
    if request.path == "/watch/_epoch":
        if request.method == "POST":
            set_epoch(request.int_arg("n", now + 1))
        return html_response(f"epoch {epoch()}")
    shown = notices(now)
    if request.path in (ROOT, f"{ROOT}index.html"):
        links = [Link(_path(n), _title(n), _date(n)) for n in shown[:PER_PAGE]]
        html = trs_list(SITE, ROOT, links, [], 0, 1).replace('<div class="list"><h2>通知公告</h2>',
                                                             f'<div class="list"><h2>通知公告 <a href="{LIST}">更多&gt;&gt;</a></h2>')
        return html_response(html)
    if request.path.startswith(LIST):
        page = request.path[len(LIST):]
        pages = [shown[i:i + PER_PAGE] for i in range(0, len(shown), PER_PAGE)]
        index = 0 if page in ("", "index.html") else (int(page[6:-5]) if page.startswith("index_")
                                                      and page[6:-5].isdigit() else None)
        if index is not None:
            if index >= len(pages):
                return not_found()
            links = [Link(_path(n), _title(n), _date(n)) for n in pages[index]]
            return html_response(trs_list(SITE, ROOT, links, [], index, len(pages)))
        for n in range(1, NEW + 1):
            if request.path == _path(n):
                if n == NEW and now < 1:
                    return not_found()
                if n == DELETED and now >= 1:
                    return not_found()
                if n == WITHDRAWN and now >= 1:
                    return redirect(ROOT)
                html = trs_detail(SITE, ROOT, _page(n, now), [], None, None)
                return _validated(request, html, _modified(n, now), validators=n % 4 != 0)
    return not_found()
