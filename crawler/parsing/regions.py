"""IP-location labels (IP 属地) to a province-level place.

Since 2022 Weibo shows each commenter's IP location at province level, as ``来自云南`` in a
comment's ``source``, ``发布于 云南`` in a post's ``region_name``, or ``IP属地：云南`` on web
pages. Abroad it names the country (``来自美国``). It is the only reliable place signal for
commenters (FIELD-NOTES, complaint 3) and is kept at province level for privacy, never finer.
"""

from __future__ import annotations

import re

# Short names as Weibo prints them (no 省/市/自治区 suffix).
PROVINCES: frozenset[str] = frozenset({
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
})

_LABEL = re.compile(r"^\s*(?:来自|发布于|IP\s*属地\s*[:：]?|IP\s*[:：])\s*")
# Full names some pages print instead of the short ones.
_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|省|市)$")
# A client name ("来自iPhone客户端", "来自微博 weibo.com") is not a place.
_CLIENT_HINT = re.compile(r"[A-Za-z0-9]|客户端|微博|网页|手机|版")


def ip_region(label: str | None) -> str | None:
    """The province (or country, abroad) named by an IP-location label, else None.

    >>> ip_region("来自云南"), ip_region("发布于 广西壮族自治区"), ip_region("来自iPhone客户端")
    ('云南', '广西', None)
    """
    if not label:
        return None
    name = _LABEL.sub("", label).strip()
    if not name or len(name) > 12 or _CLIENT_HINT.search(name):
        return None
    short = _SUFFIX.sub("", name) or name
    if short in PROVINCES:
        return short
    # A country abroad ("美国", "日本"): keep it, it is already coarse.
    return name if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", name) else None
