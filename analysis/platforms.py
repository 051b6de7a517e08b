"""Platform vocabulary: the words notices and comments use for each kind of account.

Ids: wechat, weibo, douyin, toutiao, kuaishou, bilibili, app, miniprogram. Longer words
are tried first so that 微信小程序 is a mini-program, not WeChat, and 微信公众号 is read
whole. WeChat Channels (视频号) count as wechat: they hang off the official account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.vocabulary import PLATFORM_IDS


# word -> platform. "strong" words name an account on their own (a bare name may stand
# before them: 张家港城管微信公众号); weak ones (微信, 抖音) only with a quoted name or after a
# colon, because 微信 alone is as often the app people read on as an account.
PLATFORM_WORDS: dict[str, tuple[str, bool]] = {
    "微信小程序": ("miniprogram", True),
    "小程序": ("miniprogram", True),
    "微信公众号": ("wechat", True),
    "微信公众平台": ("wechat", True),
    "微信服务号": ("wechat", True),
    "微信订阅号": ("wechat", True),
    "微信视频号": ("wechat", True),
    "视频号": ("wechat", True),
    "公众号": ("wechat", True),
    "微信号": ("wechat", True),
    "微信账号": ("wechat", True),
    "政务公号": ("wechat", True),  # news shorthand for 公众号 ("数十个政务公号发出停更公告")
    "公号": ("wechat", False),  # weak: "办公号码" holds it too
    "微信": ("wechat", False),
    "新浪微博": ("weibo", True),
    "腾讯微博": ("weibo", True),
    "政务微博": ("weibo", True),
    "官方微博": ("weibo", True),
    "微博账号": ("weibo", True),
    "微博号": ("weibo", True),
    "微博": ("weibo", True),
    "抖音政务号": ("douyin", True),
    "抖音账号": ("douyin", True),
    "抖音号": ("douyin", True),
    "抖音": ("douyin", True),
    "今日头条号": ("toutiao", True),
    "今日头条": ("toutiao", True),
    "头条号": ("toutiao", True),
    "快手号": ("kuaishou", True),
    "快手账号": ("kuaishou", True),
    "快手": ("kuaishou", True),
    "哔哩哔哩": ("bilibili", True),
    "B站": ("bilibili", True),
    "bilibili": ("bilibili", True),
    "手机客户端": ("app", True),
    "移动客户端": ("app", True),
    "客户端": ("app", True),
    "APP": ("app", True),
    "App": ("app", True),
    "app": ("app", True),
    "手机应用": ("app", True),
}
PLATFORM_RE = re.compile("|".join(re.escape(w) for w in sorted(PLATFORM_WORDS, key=len, reverse=True)))


@dataclass(frozen=True)
class PlatformMention:
    platform: str
    word: str
    start: int
    end: int
    strong: bool


def find_platforms(text: str) -> list[PlatformMention]:
    out = []
    for m in PLATFORM_RE.finditer(text):
        platform, strong = PLATFORM_WORDS[m.group()]
        # "app" inside a Latin word (whatsapp, appointment) is not the platform.
        if m.group().lower() == "app" and (
            (m.start() > 0 and text[m.start() - 1].isascii() and text[m.start() - 1].isalpha())
            or (m.end() < len(text) and text[m.end()].isascii() and text[m.end()].isalpha())
        ):
            continue
        out.append(PlatformMention(platform, m.group(), m.start(), m.end(), strong))
    return out


def named_platforms(text: str) -> tuple[str, ...]:
    """Every platform the text names, in PLATFORM_IDS order (a comment's or post's platforms)."""
    named = {m.platform for m in find_platforms(text)}
    return tuple(p for p in PLATFORM_IDS if p in named)
