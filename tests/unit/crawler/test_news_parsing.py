"""News pages and comment threads to items (crawler/parsing/news.py), on pages the offline
news sites render (built in-process, no server) and on hand-written edge cases."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from scrapy.http import HtmlResponse

from crawler.parsing import news as nw
from demo.apps import DemoRequest
from demo.apps import news as app
from demo.data.commentary.generate import load_corpus
from demo.data.commentary.markup import plain_text
from core.schema import pseudonymise

HOST = "http://news.example.cn"


def page(path: str) -> HtmlResponse:
    parts = urlsplit(path)
    reply = app.handle(DemoRequest("GET", parts.path, parse_qs(parts.query), {}))
    assert reply.status == 200, path
    return HtmlResponse(f"{HOST}{path}", body=reply.body, encoding="utf-8")


def wp_article():
    return max(load_corpus().sites["pinglun"].articles, key=lambda a: len(a.comments))


def test_list_pages_give_article_links_and_the_next_page():
    articles, pages = nw.list_links(page("/news/pinglun/"))
    assert len(articles) == app.LIST_PAGE_SIZE and all(a.startswith("/news/pinglun/") for a in articles)
    assert pages == ["/news/pinglun/page/2/"]
    assert not nw.is_article(page("/news/pinglun/"))
    articles, pages = nw.list_links(page("/news/daily/"))
    assert all(a.endswith(".html") for a in articles) and pages == ["/news/daily/index_2.html"]


def test_wordpress_article_fields():
    article = wp_article()
    response = page(f"/news/pinglun/{article.id}/")
    assert nw.is_article(response)
    fields = nw.article_fields(response)
    assert fields.title == article.title
    assert fields.text == "\n".join(article.body)  # the comments are not part of the text
    assert fields.published_at == article.published.isoformat()
    assert fields.section == article.city
    assert nw.is_about_closures(fields)


def test_wordpress_comments_with_nested_replies():
    article = wp_article()
    response = page(f"/news/pinglun/{article.id}/")
    items = nw.wp_comments(response, "news:p", "news.example.cn", "salt")
    first_page = article.comments[:app.WP_COMMENTS_PER_PAGE]
    assert [i.id for i in items if i.reply_to is None] == [f"news:news.example.cn:{c.id}" for c in first_page]
    assert len(items) == sum(c.thread_size() for c in first_page)
    by_id = {i.id: i for i in items}
    for comment in first_page:
        item = by_id[f"news:news.example.cn:{comment.id}"]
        assert item.text == plain_text(comment.text)  # smilies come back as their alt text
        assert item.created_at == comment.created.isoformat() and item.author_region == comment.region
        assert item.author_hash == pseudonymise("news", f"news.example.cn/{comment.user.screen_name}", "salt")
        assert item.weak_id  # WordPress gives a nickname only: marked as a guessable pseudonym
        for reply in comment.replies:
            assert by_id[f"news:news.example.cn:{reply.id}"].reply_to == item.id
    assert nw.wp_comment_total(response) == article.comment_total
    assert nw.wp_next_comment_page(response) == f"/news/pinglun/{article.id}/comment-page-2/#comments"


def test_portal_article_announces_its_comment_api():
    article = next(a for a in load_corpus().sites["daily"].articles if not a.off_topic)
    response = page(f"/news/daily/article/{article.id}.html")
    assert nw.api_box(response) == ("/news/daily/api/comments", article.id)
    fields = nw.article_fields(response)
    assert (fields.title, fields.section) == (article.title, article.city)
    assert nw.api_box(page("/news/pinglun/")) is None


def test_off_topic_article_is_recognised():
    article = next(a for a in load_corpus().sites["daily"].articles if a.off_topic)
    assert not nw.is_about_closures(nw.article_fields(page(f"/news/daily/article/{article.id}.html")))


def test_api_page_and_replies():
    data = {"code": 0, "data": {"total": 3, "has_more": True, "next_cursor": "abc", "comments": [
        {"id": "c1", "content": "支持[赞]", "created_at": "2024-05-16 10:00:00", "like_count": 4,
         "user": {"uid": "77", "nickname": "某人"}, "ip_location": "陕西",
         "replies": [{"id": "c2", "content": "回复@某人：同意", "reply_to": "c1", "user": {"uid": "78"}}]},
    ]}}
    parsed = nw.parse_api_page(data)
    assert parsed.next_cursor == "abc" and parsed.total == 3
    items = nw.api_comments(parsed.comments, "news:x", "s.cn", "salt")
    assert [(i.id, i.reply_to) for i in items] == [("news:s.cn:c1", None), ("news:s.cn:c2", "news:s.cn:c1")]
    assert items[0].created_at == "2024-05-16T10:00:00+08:00" and items[0].author_region == "陕西"
    assert items[1].text == "同意"
    assert items[0].author_hash == pseudonymise("news", "s.cn/77", "salt")
    assert not items[0].weak_id  # a stable user id


def test_api_commenter_without_uid_is_hashed_by_nickname_and_marked_weak():
    rows = [{"id": "c9", "content": "好", "user": {"nickname": "路人甲"}}]
    (item,) = nw.api_comments(rows, "news:x", "s.cn", "key")
    assert item.author_hash == pseudonymise("news", "s.cn/路人甲", "key") and item.weak_id
    assert pseudonymise("news", "s.cn/路人甲", "another key") != item.author_hash


def test_api_errors_and_last_page():
    assert nw.parse_api_page({"code": 500, "data": None}) is None
    assert nw.parse_api_page(["not", "a", "page"]) is None
    last = nw.parse_api_page({"code": 0, "data": {"comments": [], "next_cursor": "x", "has_more": False}})
    assert last.next_cursor is None


def test_site_key_ignores_the_port():
    assert nw.site_key("http://127.0.0.1:8765/news/daily/") == "127.0.0.1"
    assert nw.comment_id("127.0.0.1", 5) == "news:127.0.0.1:5"


def test_api_counts_written_as_words_do_not_lose_the_page():
    """Busy threads show "1.2万"; a count that cannot be read is no reason to drop comments."""
    data = {"code": 0, "data": {"total": "1.2万", "comments": [
        {"id": "c1", "content": "好", "like_count": "3万+", "user": {"uid": "1"}},
        {"id": "c2", "content": "不好", "like_count": "很多", "user": {"uid": "2"}},
    ]}}
    parsed = nw.parse_api_page(data)
    assert parsed.total == 12_000
    items = nw.api_comments(parsed.comments, "news:x", "s.cn", "salt")
    assert [i.likes for i in items] == [30_000, 0]
