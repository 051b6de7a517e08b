"""Where a document is about: province, prefecture-level city, county-level unit, admin code.

Gazetteer: cpca's table of administrative divisions (names with their 6-digit
administrative codes, every level) and its Aho-Corasick matcher, which finds full names
(张家港市) and the usual short forms (张家港, 苏州) in one pass. We use cpca's *data and
matcher* but not its ``transform``: when a name is shared (鼓楼区 is in 南京, 福州, 开封
and 徐州) ``transform`` silently takes the first candidate, while a researcher comparing
cities needs to know that nothing settled it. jionlp offers the same lookup but pulls in
a much larger dependency for a feature cpca already covers.

Resolution, in order of trust:

1. the issuer's name (政府办公室 of 西安市雁塔区 knows where it is);
2. the title, then the body (the signature line names the issuer again);
3. for posts and comments, the subject-city hint the crawler found.

Within one source, a name is read in the context of the names before it (南京市鼓楼区
settles 鼓楼区). A county-level name left with several candidates is settled by any
other source naming one candidate's city or province; otherwise the place is marked
``ambiguous`` and only what all candidates share (perhaps the province) is filled.
``city`` is always the prefecture-level city; a county-level city keeps its parent
(张家港市 → 苏州市 → 江苏省); in the four direct-administered municipalities the city is
the municipality itself (北京市朝阳区 → city 北京市).

Known limits: cpca's table predates some renamings (即墨市 became 即墨区 in 2017), and a
town or street name (街道/镇) is not resolved.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.text import normalise

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # 北京 天津 上海 重庆
# Placeholder rows of the code table, never a place a text names.
_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
# Short forms that are ordinary words far more often than places in running text
# (合作 as in cooperation, 江山 landscape, 东方 east, 安宁 peace, 龙井 tea, 中山 in street
# names such as 中山路). In an issuer or title they still count; in a body only the
# full name (合作市) does.
COMMON_WORD_SHORT_FORMS = frozenset({
    "合作", "江山", "东方", "安宁", "龙井", "中山", "开平", "大安", "永安", "安达", "福安",
    "和龙", "临江", "集安", "华阴", "宜都", "北安", "海门", "长治", "吉林", "通化", "白山",
    "三明", "黄山", "阳春", "普宁", "丰城", "长乐", "三河", "沙河", "灵武", "应城", "凌海",
    "新民", "和田", "阿城", "信阳", "泰州", "南平", "平湖", "海宁", "东阳", "义乌", "仁怀",
})
# How many leading characters of a body count as "the body's beginning" is not used: the
# whole body votes, because notices name their place in the first line and the signature.


@dataclass(frozen=True)
class Unit:
    """One administrative unit of the code table."""

    name: str
    code: str  # 6 digits
    level: int  # 0 province, 1 prefecture, 2 county

    def within(self, other: "Unit") -> bool:
        return self.code.startswith(other.code[: (other.level + 1) * 2])


@dataclass(frozen=True)
class Place:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    admin_code: str | None = None
    ambiguous: bool = False
    candidates: tuple[str, ...] = ()  # admin codes left open when ambiguous
    source: str | None = None  # issuer | title | body | hint | text

    @property
    def found(self) -> bool:
        return bool(self.province or self.ambiguous)


NO_PLACE = Place()


@dataclass
class _Mention:
    candidates: list[Unit]
    start: int
    short: bool  # matched without its suffix (苏州 for 苏州市)


@dataclass
class _Reading:
    """What one source says: resolved units and names left ambiguous."""

    resolved: list[Unit] = field(default_factory=list)
    open: list[list[Unit]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.resolved and not self.open


@lru_cache(maxsize=1)
def _gazetteer():
    import cpca  # loads the code table and builds the matcher once

    units = {}
    for code12, info in cpca.ad_2_addr_dict.items():
        if info.name in _PLACEHOLDERS:
            continue
        units[code12[:6]] = Unit(info.name, code12[:6], info.rank)
    return cpca.matcher, units


def reset_caches() -> None:
    _gazetteer.cache_clear()


def _unit(code: str) -> Unit | None:
    return _gazetteer()[1].get(code)


def _mentions(text: str, strict: bool) -> list[_Mention]:
    matcher, units = _gazetteer()
    out = []
    for m in matcher.iter(text):
        cands = [units[a.adcode] for a in m.attr_infos if a.adcode in units]
        if not cands:
            continue
        short = m.origin_value != cands[0].name
        if strict and short and (len(m.origin_value) < 3 and cands[0].level == 2
                                 or m.origin_value in COMMON_WORD_SHORT_FORMS):
            continue
        out.append(_Mention(cands, m.start_index, short))
    return out


def _read(text: str | None, strict: bool) -> _Reading:
    """Resolve the names of one source, each in the context of the names before it."""
    reading = _Reading()
    context: Unit | None = None
    for mention in _mentions(normalise(text), strict):
        cands = mention.candidates
        if context is not None:
            inside = [u for u in cands if u.within(context) and u.level > context.level]
            if inside:
                cands = inside
            elif mention.candidates[0].level <= context.level:
                context = None  # a new, unrelated place starts
        if len(cands) == 1:
            reading.resolved.append(cands[0])
            context = cands[0]
        else:
            reading.open.append(cands)
    return reading


def _prefecture(unit: Unit) -> Unit | None:
    if unit.level == 0:
        return None
    if unit.code[:2] in MUNICIPALITIES:
        return _unit(unit.code[:2] + "0000")
    if unit.level == 1:
        return unit
    parent = _unit(unit.code[:4] + "00")
    # Counties directly under a province (仙桃市, Hainan's counties) act as prefectures.
    return parent if parent is not None else unit


def place_of(unit: Unit, source: str | None = None) -> Place:
    province = _unit(unit.code[:2] + "0000")
    city = _prefecture(unit)
    county = unit if unit.level == 2 and (city is None or city.code != unit.code) else None
    return Place(
        province=province.name if province else None,
        city=city.name if city else None,
        district=county.name if county else None,
        admin_code=unit.code if unit.level else (province.code if province else None),
        source=source,
    )


def _best(units: list[Unit]) -> Unit:
    """The unit a list of mentions is about: the most-named prefecture, then its most-named
    county (a body naming 张家港市 five times and 苏州市 once is about 张家港市)."""
    by_city = Counter((_prefecture(u) or u).code for u in units)
    top_city = by_city.most_common(1)[0][0]
    inside = [u for u in units if (_prefecture(u) or u).code == top_city]
    counties = Counter(u.code for u in inside if u.level == 2)
    if counties:
        code, _ = counties.most_common(1)[0]
        return _unit(code)  # type: ignore[return-value]
    deepest = max(inside, key=lambda u: u.level)
    return deepest


def _settle(open_names: list[list[Unit]], others: list[Unit]) -> Unit | list[Unit]:
    """Pick the candidate of a shared name that other evidence places; else all candidates."""
    cands = open_names[0]
    for evidence in others:
        if evidence.level == 2:
            fitting = [u for u in cands if u.code[:4] == evidence.code[:4]]
        else:
            fitting = [u for u in cands if u.within(evidence)]
        if len(fitting) == 1:
            return fitting[0]
        if fitting:
            cands = fitting
    return cands


def _ambiguous(cands: list[Unit], source: str) -> Place:
    provinces = {u.code[:2] for u in cands}
    cities = {(_prefecture(u) or u).code for u in cands}
    province = _unit(next(iter(provinces)) + "0000") if len(provinces) == 1 else None
    city = _unit(next(iter(cities))) if len(cities) == 1 else None
    return Place(
        province=province.name if province else None,
        city=city.name if city else None,
        district=cands[0].name,
        admin_code=None,
        ambiguous=True,
        candidates=tuple(sorted(u.code for u in cands)),
        source=source,
    )


def resolve(sources: list[tuple[str, str | None]], settle_with: list[str | None] = ()) -> Place:
    """Resolve a place from named sources in order of trust, e.g.
    ``[("issuer", "鼓楼区人民政府"), ("title", …), ("body", …)]``. ``settle_with`` are texts
    that may only settle a shared name (a poster's IP province), never name the place."""
    readings = [(name, _read(text, strict=name in ("body", "text"))) for name, text in sources]
    for i, (name, reading) in enumerate(readings):
        if reading.empty:
            continue
        if reading.resolved:
            return place_of(_best(reading.resolved), name)
        others = [u for _, r in readings[i + 1:] for u in r.resolved]
        others += [u for t in settle_with for u in _read(t, strict=False).resolved]
        settled = _settle(reading.open, others)
        if isinstance(settled, Unit):
            return place_of(settled, name)
        return _ambiguous(settled, name)
    return NO_PLACE


def resolve_announcement(issuer: str | None, title: str | None, body: str | None) -> Place:
    return resolve([("issuer", issuer), ("title", title), ("body", body)])


def resolve_text(text: str | None, hint: str | None = None, region: str | None = None) -> Place:
    """A post or comment: the crawler's subject-city hint first, then the text; the poster's
    IP region only settles shared names (it says where the poster is, not what about)."""
    return resolve([("hint", hint), ("text", text)], settle_with=[region])


def place_of_name(name: str | None) -> Place:
    """The place a single name denotes (a subject city passed down from a post)."""
    return resolve([("hint", name)])
