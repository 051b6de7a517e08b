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
