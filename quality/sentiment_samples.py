"""Deterministic, varied sample texts for the sentiment exactness tests and benchmark.

Realistic fragments of what yuqing scores — closure notices of government new-media accounts
and netizens' comments on them — recombined by a seeded generator, with the edge cases that
trip up segmenters: emoji, Latin words, digits, full- and half-width punctuation, traditional
characters, characters snownlp has never seen, whitespace, empty strings, long texts. Some
characters are swapped for random common ones so that runs are not all repeats (which would
flatter a cached scorer).
"""

from __future__ import annotations

import random

NOTICE_FRAGMENTS = (
    "关于停止更新政务新媒体账号的公告",
    "根据政务新媒体清理整合工作要求",
    "经研究决定，自即日起停止更新并注销该微信公众号",
    "本账号将于2024年6月30日起停止运营",
    "今后相关政务信息请关注区政府门户网站",
    "感谢广大网友一直以来的关注和支持",
    "特此公告",
    "县人民政府办公室",
    "为进一步规范政务新媒体管理，提升政务服务水平",
    "该抖音账号已于近日完成关停注销手续",
    "市场监督管理局官方微博即日起停止更新",
    "请广大群众通过12345热线反映诉求",
)
COMMENT_FRAGMENTS = (
    "支持", "早该关了", "关了也好，反正从来不更新", "以后去哪里看通知啊？", "垃圾账号，浪费纳税人的钱",
    "这个号挺好的，关了可惜", "哈哈哈哈哈", "形式主义害死人", "精简是好事", "转发微博",
    "点赞！", "太失望了", "官方回应一下吧", "又一个僵尸号没了", "整合一下挺好，信息集中",
    "服务越来越差了", "谢谢小编这些年的辛苦", "不明白为什么要关", "怎么投诉都没人理", "赞同楼上",
    "政务公开不能倒退", "我觉得挺合理", "这操作看不懂", "希望新平台好用一点", "无语了",
    "真的很方便，突然关掉很不适应", "效率太低", "好消息", "坏消息", "听说隔壁县也关了",
)
TRADITIONAL_FRAGMENTS = (
    "關於停止更新政務新媒體賬號的公告", "這個號關了真可惜", "網友們怎麼看？", "服務態度很差",
    "謝謝小編的辛苦付出", "資訊公開很重要",
)
EXTRAS = (
    "😂", "👍👍", "🙏", "[怒]", "[赞]", "❤", "😡😡😡", "WeChat", "Weibo", "APP", "ok", "OK啦", "2024年",
    "12345", "3.5分", "100%", "@网友甲", "#政务新媒体#", "http://t.cn/A6x", "~~", "!!!", "？？？",
    "……", "——", "（", "）", "【转】", "《通知》", "，", "。", ",", ".", "?", "!", "；", ";", "：", ":",
    " ", "\u3000", "\t", "\n", "ＡＢＣ", "１２３", "㐀", "鿐", "𠀀", "龘", "乂",
)
SPECIAL_TEXTS = ("", " ", "   ", "\n", "\t \u3000 ", "😂", "？？？", "abc", "123", "哈", "的", "龘", "𠀀")
# Common characters substituted into fragments: frequent in comments, and mostly known to
# snownlp's segmenter so that new contexts (not only unknown characters) get exercised.
COMMON_CHARS = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间知世什两次使身者被高已其进此话常与活正感"


def _mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(0, 2)):
        if chars:
            chars[rng.randrange(len(chars))] = rng.choice(COMMON_CHARS)
    return "".join(chars)


def short_comment(rng: random.Random) -> str:
    """A Weibo-style comment: one to three fragments, maybe an emoji or some punctuation."""
    parts = [_mutate(rng.choice(COMMENT_FRAGMENTS), rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.4:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(EXTRAS))
    return rng.choice(("", "，", " ", "。", "！")).join(parts)


def mixed_text(rng: random.Random) -> str:
    """Anything: notices, comments, traditional characters, extras, whitespace; short or long."""
    kind = rng.random()
    if kind < 0.45:
        return short_comment(rng)
    pools = (NOTICE_FRAGMENTS, COMMENT_FRAGMENTS, TRADITIONAL_FRAGMENTS, EXTRAS)
    count = rng.randint(2, 6) if kind < 0.94 else rng.randint(12, 36)  # 6%: long, notice-sized
    parts = []
    for _ in range(count):
        pool = rng.choices(pools, weights=(3, 4, 1, 3))[0]
        parts.append(_mutate(rng.choice(pool), rng) if pool is not EXTRAS else rng.choice(pool))
    return "".join(parts)


def sample_texts(count: int, seed: int = 5, comments_only: bool = False) -> list[str]:
    """``count`` texts from a fixed seed; unless ``comments_only``, the special cases come first."""
    rng = random.Random(seed)
    make = short_comment if comments_only else mixed_text
    texts = [] if comments_only else list(SPECIAL_TEXTS)
    texts += [make(rng) for _ in range(count - len(texts))]
    return texts[:count]
