"""Recognising "you are blocked" answers, so they are never mistaken for "no more data".

Weibo signals a block in several ways (FIELD-NOTES, "Block signals"), each learnt from
comparable crawlers' issue trackers:

* ``{"ok":-100,"url":"https://passport.weibo.cn/…"}`` — a login wall; when the url names a
  captcha (``…/captcha?scene=limit``) it is a rate-limit captcha instead;
* a 302 to ``passport.weibo.cn`` (login page) or to a ``/visitor/`` check;
* HTTP 418 ("I'm a teapot", Weibo's bot refusal) and HTTP 432 (its rate limit).

A block stops the thread it hit (retrying a block only deepens it), is counted as
``yuqing/blocked/<reason>`` and logged with advice — including when the configured cookie
is the likely cause, since expired cookies are the most common reason (complaint 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CAPTCHA = "captcha"
LOGIN = "login"
HTTP_418 = "http_418"
HTTP_432 = "http_432"
REASONS = (CAPTCHA, LOGIN, HTTP_418, HTTP_432)

# Statuses that reach the spider instead of being retried or dropped (handle_httpstatus_list):
# the blocks, and redirects, which are looked at before anything follows them.
BLOCK_STATUSES = (418, 432)
REDIRECT_STATUSES = (301, 302, 303, 307, 308)

# Where Weibo sends a client it wants to log in or check ("visitor" is the anti-bot check).
_LOGIN_HOST_HINTS = ("passport.weibo", "login.sina", "/signin", "/login", "/visitor")


@dataclass(frozen=True)
class Block:
    reason: str  # one of REASONS
    detail: str  # what the platform answered, for the log (never a cookie)

    @property
    def stat_key(self) -> str:
        return f"yuqing/blocked/{self.reason}"


def detect_block(status: int, headers: Mapping[str, Any] | None = None, payload: Any = None) -> Block | None:
    """The block an answer signals, or None for an ordinary answer.

    ``headers`` needs only ``Location`` (bytes or str); ``payload`` is the decoded JSON, if any.
    """
    if status == 418:
        return Block(HTTP_418, "HTTP 418 (Weibo refuses clients it takes for bots)")
    if status == 432:
        return Block(HTTP_432, "HTTP 432 (Weibo's rate limit)")
    if status in REDIRECT_STATUSES:
        location = _header(headers, "Location")
        if is_login_url(location):
            return Block(LOGIN, f"HTTP {status} redirect to {_strip_query(location)}")
        return None
    if isinstance(payload, dict) and _as_int(payload.get("ok")) == -100:
        url = str(payload.get("url") or "")
        if "captcha" in url.lower():
            return Block(CAPTCHA, f'{{"ok":-100}} asking for a captcha at {_strip_query(url)}')
        return Block(LOGIN, f'{{"ok":-100}} asking to log in at {_strip_query(url) or "(no url)"}')
    return None


def is_login_url(url: str | None) -> bool:
    return bool(url) and any(h in url.lower() for h in _LOGIN_HOST_HINTS)


def advice(block: Block, has_cookie: bool) -> str:
    """What the operator can do about a block, for the log line."""
    if block.reason == LOGIN:
        return ("the configured Weibo cookie has probably expired: refresh YUQING_WEIBO_COOKIE"
                if has_cookie else "Weibo wants a logged-in client here: set YUQING_WEIBO_COOKIE")
    if block.reason == CAPTCHA:
        return ("Weibo asks this session for a captcha: slow down (YUQING_DOWNLOAD_DELAY) or solve it in a "
                "browser with the same cookie" if has_cookie
                else "Weibo asks for a captcha: slow down (YUQING_DOWNLOAD_DELAY) or set YUQING_WEIBO_COOKIE")
    if has_cookie:
        return "Weibo is rate-limiting this client; the cookie may be flagged: wait, slow down or refresh it"
    return "Weibo is rate-limiting this client: wait and slow down (YUQING_DOWNLOAD_DELAY)"


def _header(headers: Mapping[str, Any] | None, name: str) -> str | None:
    if not headers:
        return None
    value = headers.get(name) or headers.get(name.lower())
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value


def _strip_query(url: str | None) -> str:
    """A URL without its query: login URLs carry return addresses and session hints."""
    return (url or "").split("?", 1)[0]


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
