"""Weibo's mobile JSON endpoints (m.weibo.cn), answering from the commentary corpus.

Served under ``/weibo`` so a spider pointed at ``--base-url http://127.0.0.1:PORT/weibo``
sends exactly the paths it sends to https://m.weibo.cn:

* ``/api/container/getIndex?containerid=100103type%3D1%26q%3D…&page_type=searchall&page=N``
  — search; posts whose text contains every word of ``q``, then those with some of them,
  SEARCH_PAGE_SIZE per page; ``cardlistInfo.page`` is the next page (null on the last); past the end ``{"ok":0}``.
* ``/statuses/extend?id=…`` — a long post's full text (``data.longTextContent``).
* ``/comments/hotflow?id=…&mid=…&max_id=…&max_id_type=…`` — comments, hottest first,
  HOTFLOW_PAGE_SIZE per page. ``max_id`` is the id of the next page's first comment and
  ``max_id_type`` switches from 0 to 1 at page TYPE_SWITCH_PAGE: a request whose type does
  not match the page gets ``{"ok":0}``, as a crawler that keeps sending 0 experiences.
* ``/comments/hotFlowChild?cid=…&max_id=…`` — a comment's replies, oldest first.
* ``/detail/{mid}`` — the post's page, with the JSON embedded in ``var $render_data``.

A link card to a page of the offline web (``{link:/gov/…}`` in the corpus) is sent as an
absolute URL on the host the request came to (its ``Host`` header), so a post can link to an
announcement the gov spider crawls from the same server (see markup.absolute_links).

Failure shapes come from the corpus (a post's ``failure``): they replace the answer to
one page of one thread, so each can be checked to be survived (see posts.yaml).
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from html import escape

from demo.apps import DemoRequest, DemoResponse, json_response, not_found, redirect
from demo.data.commentary.corpus import Comment, Failure, WeiboPost
from demo.data.commentary.generate import load_corpus
from demo.data.commentary.markup import plain_text, weibo_html, weibo_preview

PREFIX = "/weibo"

SEARCH_PAGE_SIZE = 10
HOTFLOW_PAGE_SIZE = 10
CHILD_PAGE_SIZE = 5
INLINE_REPLIES = 2  # hotflow rows carry their first replies inline
TYPE_SWITCH_PAGE = 2  # 0-based: pages 0 and 1 are max_id_type 0, later pages type 1
LONG_TEXT_LIMIT = 140  # Weibo cuts the preview of longer posts and sets isLongText
PASSPORT = "https://passport.weibo.cn"
_CTIME = "%a %b %d %H:%M:%S %z %Y"

# flaky_503 answers 503 once per server (keyed by the Host header, so every OfflineWeb
# instance in a test process gets its own first failure), then succeeds.
_flaky_lock = threading.Lock()
_flaky_served: set[tuple[str, str, int]] = set()


def handle(request: DemoRequest) -> DemoResponse:
    path = request.path[len(PREFIX):] or "/"
    if path == "/api/container/getIndex":
        return _search(request)
    if path == "/statuses/extend":
        return _extend(request)
    if path == "/comments/hotflow":
        return _hotflow(request)
    if path == "/comments/hotFlowChild":
        return _child(request)
    if path.startswith("/detail/"):
        return _detail(path.removeprefix("/detail/"), origin(request))
    return not_found()


# -- search -------------------------------------------------------------------------------
def search_query(containerid: str) -> str | None:
    """``q`` from a search containerid (``100103type=1&q=…``), None for other containers."""
    if not containerid.startswith("100103"):
        return None
    for part in containerid[len("100103"):].split("&"):
        if part.startswith("q="):
            return part[2:].strip()
    return None


def matching_posts(query: str) -> list[WeiboPost]:
    """Posts containing every word of ``query`` (newest first), then — as a search engine
    relaxes a multi-word query — posts containing only some of the words (newest first)."""
    words = query.split()
    newest = sorted(load_corpus().posts, key=lambda p: p.created, reverse=True)
    every = [p for p in newest if all(w in plain_text(p.text) for w in words)]
    some = [p for p in newest if p not in every and any(w in plain_text(p.text) for w in words)]
    return every + some


def _search(request: DemoRequest) -> DemoResponse:
    query = search_query(request.arg("containerid", "") or "")
    if not query:
        return json_response({"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}})
    page = max(request.int_arg("page", 1), 1)
    posts = matching_posts(query)
    chunk = posts[(page - 1) * SEARCH_PAGE_SIZE: page * SEARCH_PAGE_SIZE]
    if not chunk:
        return json_response({"ok": 0, "msg": "这里还没有内容", "data": {"cards": []}})
    cards: list[dict] = []
    here = origin(request)
    if page == 1:
        # The first page leads with a user card and a "热门" group, as the real one does.
        cards.append({"card_type": 11, "card_group": [{"card_type": 10, "desc1": "相关用户"}]})
        cards.append({"card_type": 11, "title": "热门", "card_group": [_card(chunk[0], here)]})
        chunk = chunk[1:]
    cards += [_card(p, here) for p in chunk]
    has_next = page * SEARCH_PAGE_SIZE < len(posts)
    return json_response({"ok": 1, "data": {
        "cardlistInfo": {"containerid": f"100103type=1&q={query}", "v_p": 42, "show_style": 1,
                         "total": len(posts), "page": page + 1 if has_next else None},
        "cards": cards,
        "scheme": f"sinaweibo://searchall?containerid=100103&q={query}",
    }})


def _card(post: WeiboPost, here: str | None) -> dict:
    return {"card_type": 9, "itemid": f"seqid:{post.id}", "scheme": f"https://m.weibo.cn/status/{post.id}",
            "mblog": mblog(post, origin=here)}


def mblog(post: WeiboPost, full: bool = False, origin: str | None = None) -> dict:
    """A post as search cards and detail pages carry it; ``origin`` makes local links absolute."""
    preview = None if full else weibo_preview(post.text, post.id, LONG_TEXT_LIMIT, origin)
    return {
        "visible": {"type": 0, "list_id": 0},
        "created_at": ctime(post.created),
        "id": post.id, "idstr": post.id, "mid": post.id,
        "can_edit": False,
        "text": preview or weibo_html(post.text, origin),
        "textLength": len(plain_text(post.text)) * 2,
        "source": "iPhone客户端",
        "favorited": False,
        "pic_ids": [],
        "is_paid": False,
        "user": user_json(post.user),
        "reposts_count": post.reposts,
        "comments_count": post.comments_count,
        "attitudes_count": post.likes,
        "pending_approval_count": 0,
        "isLongText": preview is not None,
        "region_name": f"发布于 {post.region}",
        "pic_num": 0,
    }


def user_json(user) -> dict:
    return {"id": user.id, "screen_name": user.screen_name,
            "profile_image_url": f"https://tvax1.sinaimg.cn/crop.0.0.180.180.180/{user.id:x}.jpg",
            "profile_url": f"https://m.weibo.cn/u/{user.id}?uid={user.id}", "verified": False,
            "gender": "f" if user.id % 2 else "m", "followers_count": str(user.id % 5000)}


def ctime(when: datetime) -> str:
    return when.strftime(_CTIME)


# -- long text ----------------------------------------------------------------------------
def _extend(request: DemoRequest) -> DemoResponse:
    post = load_corpus().post(request.arg("id", "") or "")
    if post is None:
        return json_response({"ok": 0, "msg": "微博不存在或暂无查看权限"})
    failed = _failure(request, post, "extend", 1)
    if failed:
        return failed
    return json_response({"ok": 1, "data": {"ok": 1, "longTextContent": weibo_html(post.text, origin(request)),
                                            "reposts_count": post.reposts, "comments_count": post.comments_count,
                                            "attitudes_count": post.likes}})


# -- comments -----------------------------------------------------------------------------
def _hotflow(request: DemoRequest) -> DemoResponse:
    post = load_corpus().post(request.arg("id", "") or request.arg("mid", "") or "")
    if post is None:
        return json_response({"ok": 0, "msg": "快来发表你的评论吧"})
    index = _page_index(post.comments, request.arg("max_id", "0"), HOTFLOW_PAGE_SIZE)
    if index is None:
        return json_response({"ok": 0, "msg": "快来发表你的评论吧"})
    expected_type = 0 if index < TYPE_SWITCH_PAGE else 1
    if request.int_arg("max_id_type", 0) != expected_type:
        # What real crawlers see when they keep sending max_id_type=0: the thread "ends".
        return json_response({"ok": 0, "msg": "快来发表你的评论吧"})
    failed = _failure(request, post, "hotflow", index + 1)
    if failed:
        return failed
    rows = post.comments[index * HOTFLOW_PAGE_SIZE:(index + 1) * HOTFLOW_PAGE_SIZE]
    nxt = index + 1
    more = nxt * HOTFLOW_PAGE_SIZE < len(post.comments)
    return json_response({"ok": 1, "data": {
        "data": [comment_json(c, post) for c in rows],
        "total_number": post.comments_count,
        "max_id": int(post.comments[nxt * HOTFLOW_PAGE_SIZE].id) if more else 0,
        "max_id_type": (0 if nxt < TYPE_SWITCH_PAGE else 1) if more else 0,
    }})


def _child(request: DemoRequest) -> DemoResponse:
    cid = request.arg("cid", "") or ""
    found = _find_comment(cid)
    if found is None:
        return json_response({"ok": 0, "msg": "暂无回复"})
    post, parent = found
    index = _page_index(parent.replies, request.arg("max_id", "0"), CHILD_PAGE_SIZE)
    if index is None:
        return json_response({"ok": 0, "msg": "暂无回复"})
    failed = _failure(request, post, "child", index + 1)
    if failed:
        return failed
    rows = parent.replies[index * CHILD_PAGE_SIZE:(index + 1) * CHILD_PAGE_SIZE]
    nxt = (index + 1) * CHILD_PAGE_SIZE
    return json_response({
        "ok": 1,
        "data": [reply_json(r, parent, post) for r in rows],
        "rootComment": [comment_json(parent, post, inline=False)],
        "total_number": len(parent.replies),
        "max_id": int(parent.replies[nxt].id) if nxt < len(parent.replies) else 0,
        "max": (len(parent.replies) + CHILD_PAGE_SIZE - 1) // CHILD_PAGE_SIZE,
        "max_id_type": 0,
    })


def comment_json(comment: Comment, post: WeiboPost, inline: bool = True) -> dict:
    replies = [reply_json(r, comment, post) for r in comment.replies[:INLINE_REPLIES]] if inline else []
    return {
        **_base_comment(comment, post, root=comment),
        "comments": replies or False,
        "total_number": len(comment.replies),
        "max_id": 0,
        "isLikedByMblogAuthor": comment.likes > 100,
        "more_info_type": 0,
    }


def reply_json(reply: Comment, parent: Comment, post: WeiboPost) -> dict:
    row = _base_comment(reply, post, root=parent)
    if reply.reply_to_user is not None:
        name = reply.reply_to_user.screen_name
        row["text"] = (f'回复<a href=\'https://m.weibo.cn/n/{escape(name)}\'>@{escape(name)}</a>:'
                       + weibo_html(reply.text))
        row["reply_id"] = 0
    return row


def _base_comment(comment: Comment, post: WeiboPost, root: Comment) -> dict:
    return {
        "created_at": ctime(comment.created),
        "id": int(comment.id), "idstr": str(comment.id), "mid": str(comment.id),
        "rootid": int(root.id), "rootidstr": str(root.id),
        "floor_number": 0,
        "text": weibo_html(comment.text),
        "disable_reply": 0,
        "restrictOperate": 0,
        "source": f"来自{comment.region}",
        "user": user_json(comment.user),
        "readtimetype": "comment",
        "like_count": comment.likes,
        "analysis_extra": f"mid:{post.id}",
    }


def _page_index(rows: list[Comment], max_id: str | None, size: int) -> int | None:
    """The 0-based page a ``max_id`` points at (0 for the first request), None if unknown."""
    if not max_id or max_id == "0":
        return 0
    for n, row in enumerate(rows):
        if str(row.id) == max_id:
            return n // size if n % size == 0 else None
    return None


def _find_comment(cid: str) -> tuple[WeiboPost, Comment] | None:
    for post in load_corpus().posts:
        for comment in post.comments:
            if str(comment.id) == cid:
                return post, comment
    return None


# -- detail page --------------------------------------------------------------------------
def _detail(mid: str, here: str | None) -> DemoResponse:
    post = load_corpus().post(mid)
    if post is None:
        return not_found()
    render = json.dumps([{"status": mblog(post, full=True, origin=here), "call": "1"}], ensure_ascii=False)
    html = (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>微博正文 - 微博HTML5版</title></head>"
            f"<body><div id=\"app\"></div><script>var $render_data = {render}[0] || {{}};</script></body></html>")
    return DemoResponse(200, {"Content-Type": "text/html; charset=utf-8"}, html.encode("utf-8"))


# -- failure shapes -----------------------------------------------------------------------
def _failure(request: DemoRequest, post: WeiboPost, at: str, page: int) -> DemoResponse | None:
    failure: Failure | None = post.failure
    if failure is None or failure.at != at or failure.page != page:
        return None
    return failure_response(failure.kind, _host(request), f"{post.id}:{at}", page)


def failure_response(kind: str, host: str, where: str, page: int) -> DemoResponse | None:
    back = f"https://m.weibo.cn/detail/{where.split(':')[0]}"
    if kind == "login":
        return json_response({"ok": -100, "url": f"{PASSPORT}/signin/welcome?entry=mweibo&r={back}"})
    if kind == "captcha":
        return json_response({"ok": -100, "url": f"{PASSPORT}/captcha?scene=limit&r={back}"})
    if kind == "redirect_login":
        return redirect(f"{PASSPORT}/signin/login?entry=mweibo&res=wel&wm=3349&r={back}")
    if kind == "http_418":
        return DemoResponse(418, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>418</body></html>")
    if kind == "http_432":
        return DemoResponse(432, {"Content-Type": "text/html; charset=utf-8"}, b"")
    if kind == "invalid_json":
        return DemoResponse(200, {"Content-Type": "application/json; charset=utf-8"},
                            '{"ok":1,"data":{"data":[{"created_at":"Sat May 25'.encode("utf-8"))
    if kind == "ok0":
        return json_response({"ok": 0, "msg": "快来发表你的评论吧"})
    if kind == "flaky_503":
        key = (host, where, page)
        with _flaky_lock:
            if key in _flaky_served:
                return None
            _flaky_served.add(key)
        return DemoResponse(503, {"Content-Type": "text/html; charset=utf-8"},
                            "<html><body>503 服务暂不可用</body></html>".encode("utf-8"))
    raise ValueError(f"unknown failure kind {kind!r} (see demo/data/commentary/posts.yaml)")


def _host(request: DemoRequest) -> str:
    return next((v for k, v in request.headers.items() if k.lower() == "host"), "")


def origin(request: DemoRequest) -> str | None:
    """``http://HOST:PORT`` of the server as the client addressed it (None without a Host header)."""
    host = _host(request)
    return f"http://{host}" if host else None
