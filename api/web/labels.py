"""Chinese display labels for the ids the API uses (the API itself speaks ids).

Theme labels come from the taxonomy users edit (``analysis/themes.yaml`` or
``Settings.themes_file``), so a relabelled theme shows its new name; an id without a label
is shown as is.
"""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

PLATFORMS = {
    "wechat": "微信公众号",
    "weibo": "微博",
    "douyin": "抖音",
    "toutiao": "今日头条",
    "kuaishou": "快手",
    "bilibili": "哔哩哔哩",
    "app": "客户端 App",
    "miniprogram": "小程序",
    "news": "新闻网站",
}

SENTIMENTS = {"positive": "正面", "neutral": "中性", "negative": "负面"}

STANCES = {"support": "支持", "oppose": "反对", "neutral": "中立"}

# What an announcement does to an account (``Account.action``).
ACTIONS = {"stop_updating": "停止更新", "deregister": "注销", "merge": "合并"}

# What the reaction view can summarise (``/summary/...?kind=``), in the order offered.
KINDS = {"comment": "评论", "post": "帖子", "announcement": "公告"}

# Query parameters as a reader knows them, for error messages and the chips of active filters.
FIELDS = {
    "q": "搜索词", "city": "城市", "province": "省份", "district": "区县", "platform": "平台",
    "theme": "主题", "issuer": "发布机关", "date_from": "起始日期", "date_to": "截止日期", "sort": "排序",
    "page": "页码", "kind": "对象", "stance": "立场", "sentiment_label": "情感", "query": "搜索",
    "cursor": "翻页位置", "author_region": "IP 属地",
}


def theme_labels(themes_file: Path | None) -> dict[str, str]:
    from analysis.themes import TaxonomyError, load_taxonomy

    try:
        return {t.id: t.label for t in load_taxonomy(themes_file).themes}
    except TaxonomyError as exc:  # a broken taxonomy must not take the search page down
        logger.warning("theme labels unavailable: %s", exc)
        return {}


def label(table: dict[str, str], key: str | None) -> str:
    if not key:
        return ""
    return table.get(key, key)
