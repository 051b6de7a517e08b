"""Two news sites with comment threads on closure articles, from the commentary corpus.

* ``/news/pinglun/`` — "城事评论", a WordPress blog: the home page lists posts
  (``h2.entry-title a[rel=bookmark]``, paged ``/page/2/``); a post page renders its comments
  as ``<ol class="commentlist">`` with replies nested in ``<ul class="children">``, paged by
  top-level comment as ``…/comment-page-2/#comments`` (WordPress's "break comments into pages").
* ``/news/daily/`` — "今日城事网", a portal: list ``ul.news-list``; article pages carry an
  empty ``<div id="comments" data-api=… data-article-id=…>`` and the comments come from a
  JSON API, ``/news/daily/api/comments?article_id=…&cursor=…&limit=…``, with an opaque
  cursor (``next_cursor`` null at the end) and replies inline.

A failure in articles.yaml (``{page: 2, kind: http_500}``) makes that API page answer 500
every time: a broken backend that retries cannot fix.
"""

from __future__ import annotations

import base64
import zlib
from datetime import datetime
from html import escape

from demo.apps import DemoRequest, DemoResponse, html_response, json_response, not_found, redirect
from demo.data.commentary.corpus import Article, Comment, Site
from demo.data.commentary.generate import load_corpus
from demo.data.commentary.markup import plain_text, wordpress_html

PREFIX = "/news"

LIST_PAGE_SIZE = 2  # articles per list page: small, so that list pagination is exercised
WP_COMMENTS_PER_PAGE = 10  # top-level comments per WordPress comment page
API_DEFAULT_LIMIT = 10
API_MAX_LIMIT = 20


def handle(request: DemoRequest) -> DemoResponse:
    path = request.path[len(PREFIX):]
    if path in ("", "/"):
        return html_response(_index())
    corpus = load_corpus()
    site_key, _, rest = path.strip("/").partition("/")
    site = corpus.sites.get(site_key)
    if site is None:
        return not_found()
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1] and not path.startswith("/daily/api/"):
        return redirect(f"{PREFIX}{path}/", status=301)
    if site_key == "pinglun":
        return _wordpress(site, rest)
    return _portal(site, rest, request)


def _index() -> str:
    links = "".join(f'<li><a href="{PREFIX}/{key}/">{escape(site.name)}</a></li>'
                    for key, site in load_corpus().sites.items())
    return f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>新闻</title></head><body><ul>{links}</ul></body></html>"


def _list_page(site: Site, number: int) -> list[Article] | None:
    articles = sorted(site.articles, key=lambda a: a.published, reverse=True)
    chunk = articles[(number - 1) * LIST_PAGE_SIZE: number * LIST_PAGE_SIZE]
    return chunk or None


def _pages(site: Site) -> int:
    return (len(site.articles) + LIST_PAGE_SIZE - 1) // LIST_PAGE_SIZE


def _when(dt: datetime) -> str:
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"


# -- WordPress -----------------------------------------------------------------------------
def _wordpress(site: Site, rest: str) -> DemoResponse:
    parts = [p for p in rest.split("/") if p]
    if not parts or (len(parts) == 2 and parts[0] == "page" and parts[1].isdigit()):
        number = int(parts[1]) if parts else 1
        chunk = _list_page(site, number)
        return html_response(_wp_home(site, chunk, number)) if chunk else not_found()
    article = site.article(parts[0])
    if article is None:
        return not_found()
    page = 1
    if len(parts) == 2 and parts[1].startswith("comment-page-") and parts[1][13:].isdigit():
        page = int(parts[1][13:])
    elif len(parts) != 1:
        return not_found()
    pages = max((len(article.comments) + WP_COMMENTS_PER_PAGE - 1) // WP_COMMENTS_PER_PAGE, 1)
    if page < 1 or page > pages:
        return not_found()
    return html_response(_wp_article(site, article, page, pages))


def _wp_head(title: str, og_type: str, extra: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="UTF-8"><title>{escape(title)}</title>'
            f'<meta property="og:type" content="{og_type}"><meta property="og:site_name" content="城事评论">{extra}'
            '<link rel="stylesheet" href="/news/static/wp-style.css"></head>')


def _wp_home(site: Site, articles: list[Article], number: int) -> str:
    items = "".join(
        f'<article class="post type-post status-publish"><header class="entry-header"><h2 class="entry-title">'
        f'<a href="{PREFIX}/pinglun/{a.id}/" rel="bookmark">{escape(a.title)}</a></h2></header>'
        f'<div class="entry-summary"><p>{escape(a.body[0][:60])}…</p></div></article>' for a in articles)
    nav = ""
    if number < _pages(site):
        nav = f'<nav class="navigation pagination"><div class="nav-links"><a class="next page-numbers" href="{PREFIX}/pinglun/page/{number + 1}/">下一页</a></div></nav>'
    return (_wp_head(site.name, "website") + f'<body class="home blog"><div id="content"><main id="main">{items}{nav}'
            '</main></div></body></html>')


def _wp_article(site: Site, article: Article, page: int, pages: int) -> str:
    base = f"{PREFIX}/pinglun/{article.id}/"
    body = "".join(f"<p>{escape(p)}</p>" for p in article.body)
    threads = article.comments[(page - 1) * WP_COMMENTS_PER_PAGE: page * WP_COMMENTS_PER_PAGE]
    comments = "".join(_wp_comment(c, n, site) for n, c in enumerate(threads))
    nav = ""
    if pages > 1:
        links = []
        if page > 1:
            links.append(f'<a class="prev page-numbers" href="{base}comment-page-{page - 1}/#comments">« 较早评论</a>')
        for n in range(1, pages + 1):
            links.append(f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == page
                         else f'<a class="page-numbers" href="{base}comment-page-{n}/#comments">{n}</a>')
        if page < pages:
            links.append(f'<a class="next page-numbers" href="{base}comment-page-{page + 1}/#comments">较新评论 »</a>')
        nav = f'<nav class="navigation comment-navigation"><div class="nav-links">{"".join(links)}</div></nav>'
    published = article.published.isoformat()
    head = _wp_head(f"{article.title} – {site.name}", "article",
                    f'<meta property="article:published_time" content="{published}">')
    return (head + f'<body class="post-template-default single single-post"><div id="content"><main id="main">'
            f'<article id="post-{zlib.crc32(article.id.encode()) % 9000 + 100}" class="post type-post status-publish">'
            f'<header class="entry-header"><h1 class="entry-title">{escape(article.title)}</h1>'
            f'<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="{published}">'
            f'{_when(article.published)}</time></span> <span class="cat-links"><a href="{PREFIX}/pinglun/category/city/" '
            f'rel="category tag">{escape(article.city)}</a></span></div></header>'
            f'<div class="entry-content">{body}</div></article>'
            f'<div id="comments" class="comments-area"><h2 class="comments-title">“{escape(article.title)}”上有'
            f'{article.comment_total}条评论</h2><ol class="commentlist">{comments}</ol>{nav}'
            '<div id="respond" class="comment-respond"><h3 class="comment-reply-title">发表回复</h3></div></div>'
            '</main></div></body></html>')


def _wp_comment(comment: Comment, n: int, site: Site, depth: int = 1) -> str:
    parity = "even" if n % 2 == 0 else "odd"
    children = ""
    if comment.replies:
        children = '<ul class="children">' + "".join(
            _wp_comment(r, k, site, depth + 1) for k, r in enumerate(comment.replies)) + "</ul>"
    when = comment.created.isoformat()
    return (f'<li class="comment {parity} thread-{parity} depth-{depth}" id="comment-{comment.id}">'
            f'<article id="div-comment-{comment.id}" class="comment-body"><footer class="comment-meta">'
            f'<div class="comment-author vcard"><img alt="" src="/news/static/avatar.png" class="avatar avatar-32" height="32" width="32">'
            f'<b class="fn">{escape(comment.user.screen_name)}</b> <span class="says">说道：</span></div>'
            f'<div class="comment-metadata"><a href="#comment-{comment.id}"><time datetime="{when}">{_when(comment.created)}</time></a>'
            f' <span class="comment-ip">IP属地：{escape(comment.region)}</span></div></footer>'
            f'<div class="comment-content"><p>{wordpress_html(comment.text)}</p></div>'
            f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="?replytocom={comment.id}#respond">回复</a></div>'
            f'</article>{children}</li>')


# -- the portal ----------------------------------------------------------------------------
def _portal(site: Site, rest: str, request: DemoRequest) -> DemoResponse:
    if rest == "api/comments":
        return _api_comments(site, request)
    if rest in ("", "index.html") or (rest.startswith("index_") and rest.endswith(".html")):
        number = int(rest[6:-5]) if rest.startswith("index_") and rest[6:-5].isdigit() else 1
        chunk = _list_page(site, number)
        return html_response(_portal_list(site, chunk, number)) if chunk else not_found()
    if rest.startswith("article/") and rest.endswith(".html"):
        article = site.article(rest[len("article/"):-len(".html")])
        return html_response(_portal_article(site, article)) if article else not_found()
    return not_found()


def _portal_list(site: Site, articles: list[Article], number: int) -> str:
    rows = "".join(f'<li><a href="{PREFIX}/daily/article/{a.id}.html" target="_blank">{escape(a.title)}</a>'
                   f'<span class="date">{a.published:%Y-%m-%d}</span></li>' for a in articles)
    nav = ""
    if number < _pages(site):
        nav = f'<div class="pagination"><a class="next" href="{PREFIX}/daily/index_{number + 1}.html">下一页</a></div>'
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(site.name)}</title>'
            f'<meta property="og:type" content="website"></head><body><div class="main"><ul class="news-list">{rows}</ul>'
            f'{nav}</div></body></html>')


def _portal_article(site: Site, article: Article) -> str:
    body = "".join(f"<p>{escape(p)}</p>" for p in article.body)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(article.title)}_{escape(site.name)}</title>'
            f'<meta property="og:type" content="article"><meta property="og:title" content="{escape(article.title)}">'
            f'<meta property="article:section" content="{escape(article.city)}">'
            f'<meta property="article:published_time" content="{article.published.isoformat()}"></head>'
            f'<body><div class="crumbs"><a href="{PREFIX}/daily/">首页</a> &gt; {escape(article.city)}</div>'
            f'<div class="article" data-article-id="{article.id}"><h1>{escape(article.title)}</h1>'
            f'<div class="info"><span class="time">{article.published:%Y-%m-%d %H:%M}</span> <span class="source">来源：{escape(site.name)}</span></div>'
            f'<div class="article-body">{body}</div></div>'
            f'<div id="comments" class="comment-box" data-api="{PREFIX}/daily/api/comments" data-article-id="{article.id}">'
            '<p class="loading">评论加载中…</p></div><script src="/news/static/comments.js"></script></body></html>')


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return int(raw[2:]) if raw.startswith("o:") else None
    except (ValueError, UnicodeDecodeError):
        return None


def _api_comments(site: Site, request: DemoRequest) -> DemoResponse:
    article = site.article(request.arg("article_id", "") or "")
    if article is None:
        return json_response({"code": 404, "msg": "文章不存在", "data": None}, status=404)
    cursor = request.arg("cursor")
    offset = decode_cursor(cursor) if cursor else 0
    if offset is None:
        return json_response({"code": 400, "msg": "cursor 无效", "data": None}, status=400)
    limit = min(max(request.int_arg("limit", API_DEFAULT_LIMIT), 1), API_MAX_LIMIT)
    page = offset // limit + 1
    if article.failure and article.failure.page == page and article.failure.kind == "http_500":
        return json_response({"code": 500, "msg": "服务器内部错误", "data": None}, status=500)
    rows = article.comments[offset: offset + limit]
    more = offset + limit < len(article.comments)
    return json_response({"code": 0, "msg": "ok", "data": {
        "total": article.comment_total,
        "comments": [_api_comment(c) for c in rows],
        "next_cursor": encode_cursor(offset + limit) if more else None,
        "has_more": more,
    }})


def _api_comment(comment: Comment, parent: Comment | None = None) -> dict:
    row = {
        "id": str(comment.id),
        "content": plain_text(comment.text),
        "created_at": f"{comment.created:%Y-%m-%d %H:%M:%S}",
        "like_count": comment.likes,
        "user": {"uid": str(comment.user.id), "nickname": comment.user.screen_name,
                 "avatar": f"/news/static/avatars/{comment.user.id % 50}.png"},
        "ip_location": comment.region,
        "reply_to": str(parent.id) if parent else None,
    }
    if parent is None:
        row["replies"] = [_api_comment(r, comment) for r in comment.replies]
        row["reply_count"] = len(comment.replies)
    return row
