"""The offline Weibo endpoints and news sites over HTTP (demo/apps/weibo.py, demo/apps/news.py)."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import quote

import pytest

from demo.apps import weibo as app
from demo.apps import news
from demo.data.commentary.generate import load_corpus
from demo.data.commentary.markup import local_links, plain_text
from tests.demo.conftest import fetch


def get_json(web, path: str) -> dict:
    got = fetch(web.url(path))
    assert got.status == 200, (path, got.status)
    return json.loads(got.body)


def search_path(q: str, page: int | None = None) -> str:
    path = f"/weibo/api/container/getIndex?containerid={quote(f'100103type=1&q={q}', safe='')}&page_type=searchall"
    return path + (f"&page={page}" if page else "")


def clean_post():
    return next(p for p in load_corpus().posts if p.failure is None and len(p.comments) > 3 * app.HOTFLOW_PAGE_SIZE)


# -- the corpus ------------------------------------------------------------------------------
def test_corpus_is_large_varied_and_spread_over_cities():
    corpus = load_corpus()
    comments = corpus.all_comments()
    assert len(comments) >= 500
    cities = {p.city for p in corpus.posts} | {a.city for s in corpus.sites.values() for a in s.articles}
    assert len(cities) >= 6
    groups = Counter(c.group for c in comments)
    for group in ("support", "opposition", "sarcasm", "question", "grassroots", "formalism", "waste"):
        assert groups[group] >= 20, group
    # Threads read like different people: no body repeats within a post's top-level comments.
    for post in corpus.posts:
        texts = [c.text for c in post.comments]
        assert len(set(texts)) == len(texts), post.id


def test_corpus_is_deterministic():
    from demo.data.commentary.generate import reset

    before = [(c.id, c.text, c.user.screen_name) for c in load_corpus().all_comments()]
    reset()
    assert [(c.id, c.text, c.user.screen_name) for c in load_corpus().all_comments()] == before


# -- search ----------------------------------------------------------------------------------
def test_search_pages_through_matching_posts(web):
    expected = app.matching_posts("政务新媒体")
    assert len(expected) > app.SEARCH_PAGE_SIZE
    seen, page = [], 1
    while page:
        data = get_json(web, search_path("政务新媒体", page if page > 1 else None))
        assert data["ok"] == 1
        for card in data["data"]["cards"]:
            group = card.get("card_group") or [card]
            seen += [c["mblog"]["id"] for c in group if c.get("card_type") == 9]
        page = data["data"]["cardlistInfo"]["page"]
    assert seen == [p.id for p in expected]
    past = get_json(web, search_path("政务新媒体", 99))
    assert past["ok"] == 0 and past["data"]["cards"] == []


def test_mblog_fields_are_the_real_names(web):
    card = get_json(web, search_path("停更"))["data"]["cards"][-1]
    mblog = card["mblog"]
    for name in ("id", "mid", "text", "created_at", "reposts_count", "comments_count", "attitudes_count",
                 "isLongText", "region_name", "user"):
        assert name in mblog
    assert mblog["region_name"].startswith("发布于 ")
    assert {"id", "screen_name"} <= set(mblog["user"])


def test_long_post_preview_and_full_text(web):
    long_post = next(p for p in load_corpus().posts if len(plain_text(p.text)) > app.LONG_TEXT_LIMIT)
    mblog = app.mblog(long_post)
    assert mblog["isLongText"] and mblog["text"].endswith("全文</a>")
    full = get_json(web, f"/weibo/statuses/extend?id={long_post.id}")
    assert "longTextContent" in full["data"] and len(full["data"]["longTextContent"]) > len(mblog["text"]) - 40


# -- comments --------------------------------------------------------------------------------
def test_local_link_cards_point_at_announcements_on_the_requesting_host(web):
    """``{link:/gov/…}`` is served as ``https://weibo.cn/sinaurl?u=http://HOST/gov/…`` (search card,
    long text and detail page alike), and that page exists on the offline web."""
    linking = [p for p in load_corpus().posts if local_links(p.text)]
    assert any(len(plain_text(p.text)) > app.LONG_TEXT_LIMIT for p in linking)  # one only in the long text
    cards = json.dumps(get_json(web, search_path("公告原文")), ensure_ascii=False)
    for post in linking:
        (path,) = local_links(post.text)
        absolute = quote(web.url(path), safe="")
        full = get_json(web, f"/weibo/statuses/extend?id={post.id}")["data"]["longTextContent"]
        assert f"sinaurl?u={absolute}" in full
        assert absolute in fetch(web.url(f"/weibo/detail/{post.id}")).body.decode("utf-8")
        # The search card carries the link unless the preview cut it off.
        assert (absolute in cards) == (len(plain_text(post.text)) <= app.LONG_TEXT_LIMIT)
        assert fetch(web.url(path)).status == 200
    # Another Host header, another origin: the link follows the address the client used.
    post = linking[0]
    other = fetch(web.url(f"/weibo/statuses/extend?id={post.id}"), headers={"Host": "mirror.test:8080"})
    assert quote(f"http://mirror.test:8080{local_links(post.text)[0]}", safe="") in other.body.decode("utf-8")


def test_hotflow_pages_switch_max_id_type_and_end_at_zero(web):
    post = clean_post()
    path = f"/weibo/comments/hotflow?id={post.id}&mid={post.id}&max_id_type=0"
    ids, types = [], []
    while True:
        data = get_json(web, path)["data"]
        ids += [c["id"] for c in data["data"]]
        assert data["total_number"] == post.comments_count
        if not data["max_id"]:
            break
        types.append(data["max_id_type"])
        path = (f"/weibo/comments/hotflow?id={post.id}&mid={post.id}&max_id={data['max_id']}"
                f"&max_id_type={data['max_id_type']}")
    assert ids == [int(c.id) for c in post.comments]
    assert types[0] == 0 and types[-1] == 1


def test_echoing_type_zero_after_the_switch_loses_the_rest(web):
    post = clean_post()
    switch_id = int(post.comments[app.TYPE_SWITCH_PAGE * app.HOTFLOW_PAGE_SIZE].id)
    wrong = get_json(web, f"/weibo/comments/hotflow?id={post.id}&mid={post.id}&max_id={switch_id}&max_id_type=0")
    assert wrong["ok"] == 0
    right = get_json(web, f"/weibo/comments/hotflow?id={post.id}&mid={post.id}&max_id={switch_id}&max_id_type=1")
    assert right["ok"] == 1 and right["data"]["data"][0]["id"] == switch_id


def test_comment_rows_have_real_fields_and_inline_replies(web):
    post = clean_post()
    row = get_json(web, f"/weibo/comments/hotflow?id={post.id}&mid={post.id}&max_id_type=0")["data"]["data"][0]
    for name in ("id", "rootid", "created_at", "text", "like_count", "total_number", "source", "user", "comments"):
        assert name in row
    assert row["source"].startswith("来自")
    with_replies = next(c for p in load_corpus().posts for c in p.comments if len(c.replies) > app.CHILD_PAGE_SIZE)
    post_of = next(p for p in load_corpus().posts if with_replies in p.comments)
    assert len(app.comment_json(with_replies, post_of)["comments"]) == app.INLINE_REPLIES


def test_reply_pages(web):
    parent = next(c for p in load_corpus().posts for c in p.comments if len(c.replies) > app.CHILD_PAGE_SIZE)
    path, ids = f"/weibo/comments/hotFlowChild?cid={parent.id}&max_id=0", []
    while True:
        data = get_json(web, path)
        ids += [r["id"] for r in data["data"]]
        assert data["rootComment"][0]["id"] == int(parent.id)
        if not data["max_id"]:
            break
        path = f"/weibo/comments/hotFlowChild?cid={parent.id}&max_id={data['max_id']}"
    assert ids == [int(r.id) for r in parent.replies]


@pytest.mark.parametrize("kind, status, check", [
    ("login", 200, lambda g: json.loads(g.body)["ok"] == -100 and "passport" in json.loads(g.body)["url"]),
    ("captcha", 200, lambda g: "captcha" in json.loads(g.body)["url"]),
    ("redirect_login", 302, lambda g: g.headers["Location"].startswith("https://passport.weibo.cn/")),
    ("http_418", 418, lambda g: True),
    ("http_432", 432, lambda g: True),
    ("ok0", 200, lambda g: json.loads(g.body) == {"ok": 0, "msg": "快来发表你的评论吧"}),
])
def test_failure_shapes_on_their_page(web, kind, status, check):
    post = next(p for p in load_corpus().posts if p.failure and p.failure.kind == kind)
    index = post.failure.page - 1
    max_id = int(post.comments[index * app.HOTFLOW_PAGE_SIZE].id) if index else 0
    max_type = 0 if index < app.TYPE_SWITCH_PAGE else 1
    got = fetch(web.url(f"/weibo/comments/hotflow?id={post.id}&mid={post.id}&max_id={max_id}&max_id_type={max_type}"))
    assert got.status == status and check(got)


def test_invalid_json_shape(web):
    post = next(p for p in load_corpus().posts if p.failure and p.failure.kind == "invalid_json")
    max_id = int(post.comments[(post.failure.page - 1) * app.HOTFLOW_PAGE_SIZE].id)
    got = fetch(web.url(f"/weibo/comments/hotflow?id={post.id}&mid={post.id}&max_id={max_id}&max_id_type=0"))
    with pytest.raises(ValueError):
        json.loads(got.body)


def test_detail_page_embeds_render_data(web):
    post = clean_post()
    got = fetch(web.url(f"/weibo/detail/{post.id}"))
    assert got.status == 200 and b"var $render_data" in got.body and post.id.encode() in got.body
    assert fetch(web.url("/weibo/detail/1")).status == 404


# -- news sites ------------------------------------------------------------------------------
def test_wordpress_comment_pages(web):
    article = max(load_corpus().sites["pinglun"].articles, key=lambda a: len(a.comments))
    pages = -(-len(article.comments) // news.WP_COMMENTS_PER_PAGE)
    assert pages >= 2
    first = fetch(web.url(f"/news/pinglun/{article.id}/")).body.decode()
    assert 'class="commentlist"' in first and f"comment-page-2/#comments" in first
    assert f"上有{article.comment_total}条评论" in first
    last = fetch(web.url(f"/news/pinglun/{article.id}/comment-page-{pages}/")).body.decode()
    assert 'class="next page-numbers"' not in last
    assert fetch(web.url(f"/news/pinglun/{article.id}/comment-page-{pages + 1}/")).status == 404


def test_comment_api_cursor_paging_and_its_failure(web):
    site = load_corpus().sites["daily"]
    article = next(a for a in site.articles if a.failure is None and not a.off_topic)
    path, ids = f"/news/daily/api/comments?article_id={article.id}&limit=10", []
    while True:
        data = get_json(web, path)["data"]
        ids += [c["id"] for c in data["comments"]]
        assert data["total"] == article.comment_total
        if not data["next_cursor"]:
            break
        path = f"/news/daily/api/comments?article_id={article.id}&limit=10&cursor={data['next_cursor']}"
    assert ids == [str(c.id) for c in article.comments]
    broken = next(a for a in site.articles if a.failure)
    cursor = news.encode_cursor((broken.failure.page - 1) * 10)
    assert fetch(web.url(f"/news/daily/api/comments?article_id={broken.id}&limit=10&cursor={cursor}")).status == 500
    assert fetch(web.url(f"/news/daily/api/comments?article_id={article.id}&cursor=%%%")).status == 400
