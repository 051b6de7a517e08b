"""Where a closure notice names an account: a name bound to a platform word, or a self-reference.

Split from ``analysis/accounts.py`` (which decides what the notice does to each account).
A mention is only made where the words have the shape of an account name (issue 18: the
registry listed sentence fragments such as 精力集中到本 and 而同名 as closed accounts):

* **quoted** — 《》 “” "" 「」 『』 ‘’ right before or after a platform word, possibly through a
  chain of coordinated names (“A”“B”等3个微信公众号); also several names in one pair of quotes
  separated by 、 (「A、B、C」等3个微信公众号: one channel word named once for several names);
* **handle** — a Weibo handle (@长沙发布);
* **colon** — a name after a platform word and a colon, as in lists (微信公众号：五华文旅);
* **bare** — unquoted characters right before a strong platform word (顺德区档案馆微信公众号),
  kept only when they look like an organisation or a place-named account
  (:data:`BARE_NAME_SHAPE`), are more than the words of an office type (公安局, 交警大队), hold no
  count (8县市) and are not a reference (本/该/同名… before the platform word); the run is cut
  after pointers, keep words and counts (接入/通过/保留/只/数量/占到…), so "全面接入某某APP" names
  no account of its own;
* **bare, clause-opening** — a short run (2–6 characters) that opens its clause right before a
  strong platform word, whatever its shape (newsroom and company apps: "，晨光客户端、夜航客户端
  同步停止更新"), unless it is an adverb, conjunction or pronoun that may open a clause (目前, 按照);
* **self** — 本公众号/本账号/我园…账号 (:data:`SELF_REFERENCE`): the page's own account. In reported
  speech (“某某”抖音号发布“…本账号将注销…”) it is the account named before it in the sentence;
  on a WeChat article page it is the article's account; else the issuer.

Each binding has a confidence (:data:`BINDING_CONFIDENCE`): how often that shape names a real
account. They were set by judgement from the shapes' failure modes (a bare run of characters
can be any phrase; a quoted name next to a platform word almost never is), not fitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.platforms import PlatformMention, find_platforms

_QUOTE_RE = re.compile(r"《([^《》\n]{1,30})》|“([^“”\n]{1,30})”|\"([^\"\n]{1,30})\"|「([^「」\n]{1,30})」"
                       r"|『([^『』\n]{1,30})』|‘([^‘’\n]{1,30})’|@([\u4e00-\u9fffA-Za-z0-9_\-]{2,30})")
# Between a quoted name and its platform word: nothing, or a qualifier such as 官方/政务.
_GAP_AFTER_NAME = re.compile(r"^\s*(?:等)?(?:[两二三四五六七八九十百几数多余\d]+个)?(?:官方|政务|的)?\s*$")
_GAP_BEFORE_NAME = re.compile(r"^\s*[:：]?\s*(?:名称为|名为|为|账号为|账号)?\s*[:：]?\s*$")
_COORD = re.compile(r"^\s*(?:、|，|和|及|与|以及|或)?\s*$")
# Bare names: the run of name characters before a platform word, cut after the last of
# these (verbs and particles that end the sentence part before the name).
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]+$")
_BARE_CUT = re.compile(r"(?:关于|停止更新|注销|下架|关停|关闭|停运|停用|决定|开设的|运营的|主办的|名为|以下|原|现|将|的|和|与|及|"
                       r"对|把|其|该|由|在|是|等|已|了|个|暨|"
                       # Pointers and verbs before the name of a channel that stays (issue 18, real
                       # text: "全面接入美团APP", "只保留市级公安局公众号", "可通过美团微信小程序"):
                       r"接入|通过|登录|使用|下载|关注|搜索|保留|只|仅|进入|打开|前往|"
                       # Counts and comparisons, never part of a name ("停运数量占到全县公众号的80%").
                       r"数量|占到|达到|超过|共有|其中|旗下|另外|一个)")
_GENERIC_PREFIX = re.compile(r"^(?:我局|我委|我办|我院|我处|我中心|我单位|本局|本委|本办|本单位|本机关|我区|我市|我县|"
                             r"我镇|本区|本市|本县|各|官方|政务|相关|部分|所属|下属|一批|多个|全(?=[省市区县镇乡国])|所有|全部)+")
_GENERIC_NAMES = frozenset({"", "账号", "官方", "政务", "新媒体", "政务新媒体"})
# On the same line: a colon that ends a line introduces what follows, not a name ("注销了自己的微信公众号：\n…").
_AFTER_COLON_NAME = re.compile(r"^[ \t]*[:：][ \t]*([\u4e00-\u9fffA-Za-z0-9·_\-]{2,20})")



# How much a mention's shape alone says that it names an account (see the module docstring).
BINDING_CONFIDENCE = {"quoted": 0.95, "handle": 0.85, "colon": 0.85, "self_named": 0.9,
                      "self_page": 0.85, "self_issuer": 0.5, "bare": 0.6, "bare_clause": 0.5}
# A bare name must end like an organisation or a place-named account, or start with a place
# word; anything else before a platform word is a phrase ("精力集中到本", "而同名").
BARE_NAME_SHAPE = re.compile(
    r"(?:省|市|区|县|镇|乡|街道|村|社区|局|委|办|院|中心|馆|站|所|队|会|团|处|厅|部|校|园|署|室|支队|大队|"
    r"发布|政务|城管|交警|警方|公安|司法|人社|卫健|教育|文旅|应急|环保|水利|水务|统计|税务|消防|法院|检察|"
    r"团委|妇联|工会|科协|侨联|档案|市场监管|农业|林业|交通|住建|民政|商务|体育|医保|融媒)$"
    r"|^[\u4e00-\u9fff]{1,6}?(?:省|市|区|县|镇|乡)")
# The words of an organisation's type. A bare name made of nothing else (公安局, 交警大队, 市级公安局)
# names a kind of office, not an account ("交警大队微信公众号暂停更新"): something proper, a place
# or a name, must remain when they are taken out.
_OFFICE_WORDS = re.compile(
    r"省|市|区|县|镇|乡|街道|村|社区|局|委|办|院|中心|馆|站|所|队|会|团|处|厅|部|校|园|署|室|支队|大队|"
    r"政府|人民|发布|政务|城管|交警|警方|公安|司法|人社|卫健|教育|文旅|应急|环保|水利|水务|统计|税务|消防|法院|检察|"
    r"团委|妇联|工会|科协|侨联|档案|市场监管|农业|林业|交通|住建|民政|商务|体育|医保|融媒|派出|级|直|属")
# A count inside a bare run ("恩施州8县市公安局", "三个镇"): a group of accounts, not one account's name.
_COUNT = re.compile(r"[\d两二三四五六七八九十百几多数]+(?:个|家|县|区|市|镇|所|条|款)")
# A short bare name that opens its clause ("，晨光客户端、夜航客户端同步停止更新", "某某App、某某微信小程序
# 将停止服务") names the thing the clause is about, whatever its shape (company and newsroom apps end
# in no office word). Only when nothing else stands before it in the clause, it is short, and it is no
# adverb, pronoun or generic word that may open a clause (目前微信公众号已…).
CLAUSE_OPENING = re.compile(r"(?:^|[\n，,。；;：:、！？!?（(])[ \t]*$")
BARE_CLAUSE_MAX = 6
_NOT_A_NAME = re.compile(
    r"目前|现在|今后|此前|此后|同时|其中|另外|此外|例如|包括|如今|今年|去年|近日|日前|近期|已经|以往|之前|以前|原来|"
    r"正式|全面|统一|逐步|陆续|一些|很多|不少|各类|各级|有关|我们|大家|用户|网友|市民|群众|欢迎|感谢|请|"
    r"按照|根据|依据|虽然|但是|而且|并且|或者|如果|因为|由于|为了|对于|关于|通过|随着|作为|除了|以及|所以|因此|"
    r"于是|然后|之后|最后|首先|其次|个|些|"
    # Particles and pronouns: only where a name would begin (place names hold some: 即墨, 本溪, 新民).
    r"^(?:的|了|是|在|将|已|被|从|把|也|均|还|再|该|这|那|其|但|而)")
# A verb alone before a platform word at the start of a clause ("发出微信公众号停止更新的公告后",
# "关注微信公众号…") is what someone did with an account, not its name.
_VERB_ONLY = re.compile(r"^(?:发出|发布|发表|宣布|关闭|关停|注销|停止|暂停|停更|开通|关注|登录|打开|搜索|下载|"
                        r"使用|运营|注册|取消|合并|整合|迁移|扫描|扫码|访问)了?$")
# Joining words: after "A客户端和", the next name is a second channel of the same kind.
_JOINS = frozenset({"和", "与", "及"})
# A connective opening a clause before a short name: "，而文汇客户端…", "，并新民客户端…".
_CONNECTIVE = re.compile(r"^[而并但且或则也又](?=[\u4e00-\u9fff]{2})")
# A field or trade, not a name: "业界新闻客户端", "行业APP", "媒体公众号".
_GENERIC_FIELD = re.compile(r"^(?:业界|行业|媒体|新闻|各地|地方|全国|国内|海外)(?:新闻|媒体)?$")
# Words right before a platform word that refer to an account instead of naming it.
REFERENCE_TAIL = re.compile(r"(?:本|该|此|其|同名|这个|那个|这些|上述|以上|前述|原|新|各|我|我们|你|您|相关|这|那)$")
# 本公众号, 本账号, 我园政务新媒体账号, 本单位微信公众号…: the speaker's own account.
SELF_REFERENCE = re.compile(
    # 本 inside a word (版本号, 日本, 成本, 基本) is no pronoun.
    r"(?:(?<![版日成基根资课样剧文书脚账剧])本|我(?=园|局|委|办|院|校|中心|单位|队|馆|所|站|会))(?:园|局|委|办|院|校|中心|单位|队|馆|所|站|会)?"
    r"(?:政务新媒体|政务|官方)?(?P<word>微信公众号|公众号|微信号|微博账号|微博|抖音号|抖音账号|头条号|快手号|视频号|账号|帐号|号)")
_SELF_PLATFORM = {"微信公众号": "wechat", "公众号": "wechat", "微信号": "wechat", "视频号": "wechat",
                  "微博账号": "weibo", "微博": "weibo", "抖音号": "douyin", "抖音账号": "douyin",
                  "头条号": "toutiao", "快手号": "kuaishou"}
# Names inside one pair of quotes, separated by 、 (「A、B、C」等3个微信公众号).
_LIST_SEP = re.compile(r"[、，,]")


@dataclass
class Mention:
    name: str
    platform: str
    start: int
    end: int
    role: str = "closed"  # closed | successor | kept
    word: str = ""
    binding: str = "quoted"  # a key of BINDING_CONFIDENCE


def quotes(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), next(g for g in m.groups() if g).strip()) for m in _QUOTE_RE.finditer(text)]


def clean_name(name: str) -> str:
    return name.strip().lstrip("@").strip("“”\"《》「」『』 ")


# News shorthand for several apps merged: “浙江新闻”“天目新闻”“小时新闻”三端合一 (端 = a client app).
_COUNTED_CLIENTS = re.compile(r"(?<=[”\"」』])\s*(?:等)?([两二三四五六七八九十双\d]+端)(?=合一|合并|整合|融合)")


def _counted_clients(text: str) -> list[PlatformMention]:
    """"N端" right after quoted names and before a merging word, as the app those names are."""
    return [PlatformMention("app", m.group(1), m.start(1), m.end(1), False) for m in _COUNTED_CLIENTS.finditer(text)]


def account_mentions(text: str) -> list[Mention]:
    """Every (name, platform) pair the text names, in text order."""
    plats = sorted(find_platforms(text) + _counted_clients(text), key=lambda p: p.start)
    quoted = quotes(text)
    mentions: list[Mention] = []
    used_plats: set[int] = set()

    def next_plat(pos: int) -> PlatformMention | None:
        return next((p for p in plats if p.start >= pos), None)

    def prev_plat(pos: int) -> PlatformMention | None:
        return next((p for p in reversed(plats) if p.end <= pos), None)

    for i, (qs, qe, name) in enumerate(quoted):
        handle = text[qs] == "@"
        plat = None
        # Quoted name then platform word, possibly through a chain of coordinated names.
        j, end = i, qe
        while True:
            p = next_plat(end)
            if p is not None and _GAP_AFTER_NAME.match(text[end:p.start]):
                plat = p
                break
            if j + 1 < len(quoted) and _COORD.match(text[end:quoted[j + 1][0]]):
                j, end = j + 1, quoted[j + 1][1]
                continue
            break
        if plat is None:
            j, start = i, qs
            while True:
                p = prev_plat(start)
                if p is not None and _GAP_BEFORE_NAME.match(text[p.end:start]):
                    plat = p
                    break
                if j > 0 and _COORD.match(text[quoted[j - 1][1]:start]):
                    j, start = j - 1, quoted[j - 1][0]
                    continue
                break
        if plat is None and handle:
            mentions.append(Mention(clean_name(name), "weibo", qs, qe, binding="handle"))
            continue
        if plat is None or not name:
            continue
        used_plats.add(plat.start)
        names = _names_in_quote(name)
        mentions.extend(Mention(n, plat.platform, qs, qe, word=plat.word) for n in names)
        # One name, several platform words: “某某发布”微信公众号、微博和抖音号.
        if plat.start >= qe:
            cursor = plat
            while True:
                nxt = next_plat(cursor.end)
                if nxt is None or not _COORD.match(text[cursor.end:nxt.start]) or nxt.platform == plat.platform:
                    break
                following = text[nxt.end:nxt.end + 2]
                if following[:1] in "《“\"「『@" or following.startswith(("：", ":")):
                    break  # the next platform word has a name of its own
                used_plats.add(nxt.start)
                mentions.extend(Mention(n, nxt.platform, qs, qe, word=nxt.word) for n in names)
                cursor = nxt
    quoted_spans = [(s, e) for s, e, _ in quoted]
    for p in plats:
        if p.start in used_plats or any(s <= p.start < e for s, e in quoted_spans):
            continue
        after = _AFTER_COLON_NAME.match(text[p.end:])
        if after:
            mentions.append(Mention(after.group(1), p.platform, p.end, p.end + after.end(), word=p.word,
                                    binding="colon"))
            continue
        if not p.strong:
            continue
        window_start = max(0, p.start - 20)
        run = _NAME_CHARS.search(text[window_start:p.start])
        if not run:
            continue
        name = run.group()
        if REFERENCE_TAIL.search(name):
            continue  # 本公众号, 该微博, 同名微信公众号: a reference, not a name
        cuts = list(_BARE_CUT.finditer(name))
        # The clause opens right before the name: after punctuation, after a connective that
        # starts the clause ("，而文汇客户端…"), or after "和/与/及" joining it to the same kind of
        # channel just named ("文汇客户端和新民客户端将停止更新"). No other cut keeps it open.
        opens = bool(CLAUSE_OPENING.search(text[max(0, window_start + run.start() - 3):window_start + run.start()]))
        if cuts:
            last = cuts[-1]
            opens = last.group() in _JOINS and (name[:last.start()].endswith(p.word) or (opens and last.start() == 0))
            name = name[last.end():]
        elif opens and _CONNECTIVE.match(name):
            name = name[1:]
        opening = name  # a generic word taken off its front ("相关单位", "官方晨光") makes it no clause name
        name = _GENERIC_PREFIX.sub("", name)
        if (len(name) >= 2 and name not in _GENERIC_NAMES and BARE_NAME_SHAPE.search(name)
                and len(_OFFICE_WORDS.sub("", name)) >= 2 and not _COUNT.search(name)):
            mentions.append(Mention(name, p.platform, p.start - len(name), p.start, word=p.word, binding="bare"))
        elif (opens and name == opening and 2 <= len(name) <= BARE_CLAUSE_MAX and not _NOT_A_NAME.search(name)
              and not _VERB_ONLY.match(name) and not _GENERIC_FIELD.match(name)
              and not any(ch.isdigit() for ch in name) and name not in _GENERIC_NAMES
              and len(_OFFICE_WORDS.sub("", name)) >= 2):
            mentions.append(Mention(name, p.platform, p.start - len(name), p.start, word=p.word,
                                    binding="bare_clause"))
    mentions.sort(key=lambda m: m.start)
    return mentions




def _names_in_quote(name: str) -> list[str]:
    """One quoted name, or several separated by 、 inside one pair of quotes."""
    name = clean_name(name)
    parts = [clean_name(p) for p in _LIST_SEP.split(name)]
    if len(parts) > 1 and all(len(p) >= 2 for p in parts):
        return parts
    return [name]


@dataclass(frozen=True)
class SelfReference:
    start: int
    end: int
    platform: str | None  # None: 本账号 — the platform of the page or of the account it resolves to


def self_references(text: str) -> list[SelfReference]:
    """本公众号/本账号/我园…账号 outside quoted document titles (《关于本公众号停止更新的公告》
    cited in a news report names a notice, it does not speak for the page)."""
    titles = [(m.start(), m.end()) for m in re.finditer(r"《[^《》\n]{1,40}》", text)]
    out = []
    for m in SELF_REFERENCE.finditer(text):
        if any(s <= m.start() < e for s, e in titles):
            continue
        out.append(SelfReference(m.start(), m.end(), _SELF_PLATFORM.get(m.group("word"))))
    return out
