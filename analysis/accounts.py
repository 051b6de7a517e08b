"""The closed-accounts registry: which accounts a closure notice closes, how, when, and for what.

Closure notices follow a small set of sentence shapes, and the rules here are read off
those shapes rather than off particular notices:

* An account is a **name** next to a **platform word**, or a **self-reference** (本公众号,
  本账号) resolved to the page's own account — both found by ``analysis.account_mentions``,
  which also keeps only names that look like names (issue 18: no 精力集中到本, no 而同名).
  The name is quoted (《》 “” "" 「」 『』) right before or after the platform word
  (“张家港城管”微信公众号, 微信公众号“张家港城管”), written bare before a platform word
  (张家港城管微信公众号) or after a colon in a list (微信公众号：昆明五华发布), or given as a Weibo
  handle (@长沙发布). Names coordinated with 、/和/及 share the platform word that follows or
  precedes them, and one name followed by several platform words (“某某发布”微信公众号、微博)
  is one account per platform.
* **Precision first** (issue 18): an account is registered only when something within its
  reach closes it — the closure verb of the account's own stretch of the sentence, else of the
  sentence, else of a later "上述账号…" sentence or of the clause introducing its list, else of
  the title for a bare list item. A notice's closure verb elsewhere is not enough: "认准“成都
  城管”微信公众号" beside a 停更 notice closes nothing. When several verbs apply, merge
  (整合/并入/合并/迁移) wins over deregister (注销/下架/关停/关闭/下线), which wins over
  stop_updating (停止更新/停更/不再更新): "停止更新并注销" is a deregistration.
* Each account carries its **evidence** (the sentence that closes it) and a **confidence**:
  the name shape's (``BINDING_CONFIDENCE``) times where the closure was read
  (``ACTION_SOURCE_FACTOR``).
* An account named after a pointer such as 通过/关注/认准/接入/并入/迁移至/统一由 carries the
  information instead: it is the **successor**, not a closed account; one named after or
  followed by 保留/继续运营 stays open. A closed account's successor is the channel its own
  sentence names (the merge target), else the first channel the notice names. A hotline is
  not a channel.
* The **effective date** is the date in the account's sentence (a date followed by 开通/
  上线/印发 is history, not the closure); 自即日起 is the signature date; a date without a
  year takes the signature date's year, else the publication date's. Else the notice's
  one date followed by 起; else unknown.
* **Reasons** are the themes of the sentences that give reasons (为进一步…/根据…/鉴于…/由于…)
  and of the account's own sentence.

Known failure modes: tables flattened without platform words in each row; an account
called only by its organisation (本局政务微博) is not named, so it is not registered (its
platform still counts); two different closure dates in one sentence go to the first
account of that sentence.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import asdict, dataclass

from analysis.account_mentions import (
    BINDING_CONFIDENCE,
    Mention,
    account_mentions,
    clean_name,
    quotes,
    self_references,
)
from analysis.dates import TODAY_RE, find_dates, iso_date, signature_date
from analysis.platforms import PLATFORM_IDS, find_platforms
from analysis.tables import layouts_as_sentences
from analysis.text import Sentence, normalise, sentences
from analysis.themes import Taxonomy, classify

ACTIONS = ("merge", "deregister", "stop_updating")  # precedence order
ACTION_WORDS: dict[str, tuple[str, ...]] = {
    "merge": ("整合", "并入", "合并", "迁移", "归并", "划转", "融入",
              "端合一", "号合一"),  # "三端合一", "多号合一": several channels made one
    "deregister": ("注销", "下架", "关停", "关闭", "撤销", "停止运行", "停止服务", "停止使用", "销号",
                   "下线",  # 下线: apps and mini programs ("“江宁发布”微信小程序将于…正式下线")
                   "停办", "关掉"),  # a newsroom's apps ("停办“周到”客户端", "关掉“慢新闻”客户端")
    "stop_updating": ("停止更新", "停更", "不再更新", "暂停更新", "停止发布", "不再发布", "停止运营",
                      "停止运维", "不再运营", "停止内容更新", "终止更新", "不再进行更新"),
}
_ACTION_RE = re.compile("|".join(sorted((w for ws in ACTION_WORDS.values() for w in ws), key=len, reverse=True)))
_ACTION_OF = {w: a for a, ws in ACTION_WORDS.items() for w in ws}

# A channel named right after one of these carries the information from now on.
SUCCESSOR_CUES = ("通过", "关注", "登录", "访问", "查看", "查阅", "移步", "转至", "转到", "前往", "请到", "可在",
                  "统一在", "将在", "均在", "继续在", "集中到", "集中在",
                  "并入", "整合至", "整合到", "整合进", "迁移至", "迁移到", "合并至", "合并到", "合并为",
                  "整合为", "归并至", "归并到", "统一由", "改由", "将由", "依托", "搜索", "使用", "下载",
                  # Issue 18: "认准“成都城管”微信公众号" (follow this one), "已接入“爱山东·青e办”APP"
                  # (the services moved there) point at the channel that stays.
                  "认准", "接入", "迁入", "转入", "移至")
# 关注度/关注量 ("关注度低的“僵尸号”") measure attention; they point nowhere.
_SUCCESSOR_RE = re.compile("|".join(re.escape(c) + ("(?!度|量|人数)" if c == "关注" else "")
                                    for c in sorted(SUCCESSOR_CUES, key=len, reverse=True)) + r"|由(?!于)")
# A channel followed by one of these stays open; it is nobody's successor unless a pointer names it.
KEPT_CUES = ("保留", "继续运营", "继续运行", "继续更新", "正常运营", "正常运行", "正常更新", "不受影响")
# A channel named after one of these, with no closure verb in between, stays open too: notices that
# list kept and closed accounts side by side ("保留“某某发布”微信公众号，关闭…", "继续运营的账号：…").
KEPT_BEFORE_RE = re.compile(r"保留|继续运营|继续运行|继续更新|正常运营|正常运行|正常更新")
# A channel followed by one of these takes over ("由“某某发布”承担").
CARRY_CUES = ("承接", "承担", "统一发布", "继续发布", "发布相关", "负责发布", "代为发布")
# Quoted titles of documents (《…意见》) are never channels.
DOCUMENT_TITLE = re.compile(r"意见|通知|办法|规定|方案|决定|条例|指引|规范")
# An action word inside a purpose or authority clause ("为整合资源", "根据…清理整合的要求") is
# the reason for a closure, not its kind.
PURPOSE_CLAUSE = re.compile(r"^(?:为了?|根据|按照|依据|围绕|鉴于)|推进|推动|加强|开展|实施|落实|进一步|深化")
# Sentences that speak of accounts named before them ("上述账号将于…注销").
ANAPHORA = re.compile(r"(?:上述|以上|前述|这些|该|其)(?:政务新媒体|新媒体)?(?:账号|帐号|公众号|微博|抖音号|平台|APP|小程序|客户端)")
_WEBSITE_CUT = re.compile(r"通过|登录|访问|查阅|查看|关注|统一在|可在|请到|前往|移步|在|到|至|请|的|于")
# Sentences that give the reasons for a closure.
REASON_RE = re.compile(r"为了|为进一步|为贯彻|为落实|为推进|为深化|为加强|为减轻|为切实|为规范|为优化|为提升|"
                       r"为整合|为扎实|根据|按照|依据|鉴于|由于|因|结合|贯彻|落实")
# A date followed by one of these is when an account began, or when a rule was issued.
HISTORY_AFTER = re.compile(r"^\s*(?:起?开通|注册|上线|创建|开设|成立|印发|出台|发布的|以来)")
# Where a channel that is not an account carries the information (a portal website).
WEBSITE_RE = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:门户网站|政府网站|官方网站|政务网站|官网)")
# Where an account's closure action was read, and how much that lowers its confidence: its own
# stretch of the sentence or its sentence say it outright; a later "上述账号…" sentence or a
# list's introduction say it of a group; the title alone only for a bare list item.
ACTION_SOURCE_FACTOR = {"own": 1.0, "anaphora": 0.9, "intro": 0.9, "title": 0.8}
# A sentence this much longer than the account's name is prose, not a list item: it must state
# the closure itself (issue 18: "认准“成都城管”微信公众号" took the title's 停止更新).
LIST_ITEM_SLACK = 16
# A list item may take its action from the clause introducing the list ("关停以下账号：" then
# "1. 微信公众号：某某发布（2016年开通）"); a sentence longer than this beside its name is prose and
# never does (real text: "如“深圳卫健委”微信公众号…都以其…赢得了口碑" after a paragraph on 关停).
INTRO_ITEM_SLACK = 32


@dataclass(frozen=True)
class ClosedAccount:
    name: str
    platform: str
    action: str
    effective_date: str | None = None
    successor: str | None = None
    reasons: tuple[str, ...] = ()
    confidence: float = 1.0  # how sure the registry is (name shape × where the action was read)
    evidence: str = ""  # the sentence that closes it

    def as_dict(self) -> dict:
        d = asdict(self)
        d["reasons"] = list(self.reasons)
        return d


@dataclass(frozen=True)
class AccountsResult:
    accounts: tuple[ClosedAccount, ...]
    platforms: tuple[str, ...]  # platforms of the closed accounts, else every platform named
    successor: str | None = None


def _sentence_of(sents: list[Sentence], pos: int) -> Sentence:
    # Sentences are in text order: bisection, not a scan per mention (quadratic in long texts).
    i = bisect.bisect_right(sents, pos, key=lambda s: s.start)
    return sents[i - 1] if i else sents[0]


def _end(sent: Sentence) -> int:
    return sent.start + len(sent.text)


_CLAUSE_BREAK = re.compile(r"[，,。；;：:\n]")


def _actions_in(text: str) -> list[str]:
    """Closure actions a stretch of text states, leaving out purpose and authority clauses."""
    out = []
    # Clause starts found once; each action looks its clause up by bisection (rescanning the
    # text before every action made a long text quadratic: 40,000 characters took 6 s).
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(text)]
    for m in _ACTION_RE.finditer(text):
        before = bisect.bisect_right(breaks, m.start())
        clause_start = breaks[before - 1] if before else 0
        if PURPOSE_CLAUSE.search(text[clause_start:m.start()]):
            continue
        out.append(_ACTION_OF[m.group()])
    return out


def _strongest(actions: list[str]) -> str | None:
    return next((a for a in ACTIONS if a in actions), None)


def _last_action_end(before: str) -> int:
    cue_spans = {(c.start(), c.end()) for c in _SUCCESSOR_RE.finditer(before)}
    return max((a.end() for a in _ACTION_RE.finditer(before) if (a.start(), a.end()) not in cue_spans), default=-1)


# A contrast that opens a new clause ("…共同使用上观新闻客户端，而文汇客户端…停止更新"): cues
# before it (使用, 保留) speak of the first clause's channels, not of the names after it.
_CONTRAST = re.compile(r"[，,；;]\s*(?:而|但是|但|然而|同时)")


def _role(text: str, sent: Sentence, start: int, end: int) -> str:
    """closed, successor (carries the information instead) or kept (stays open)."""
    before = text[sent.start:start]
    before = before[max((c.end() for c in _CONTRAST.finditer(before)), default=0):]
    clause = re.split(r"[，,。；;\n]", text[end:_end(sent)], maxsplit=1)[0]
    first_action = _ACTION_RE.search(clause)
    head = clause[:first_action.start()] if first_action else clause
    cue = max((c.end() for c in _SUCCESSOR_RE.finditer(before)), default=-1)
    if cue >= 0 and cue >= _last_action_end(before):
        # "请使用“A”公众号，“B”微博停止更新": a name in a later clause that its own closure
        # verb follows is that verb's subject, out of the cue's reach.
        if not (first_action and _CLAUSE_BREAK.search(before, cue)):
            return "successor"
    kept = max((k.end() for k in KEPT_BEFORE_RE.finditer(before)), default=-1)
    if kept >= 0 and kept >= _last_action_end(before):
        return "kept"
    if any(k in head for k in CARRY_CUES):
        return "successor"
    if any(k in head for k in KEPT_CUES):
        return "kept"
    return "closed"


def _date_in(segment: str, signed: str | None, published: str | None) -> str | None:
    year_source = signed or published
    default_year = int(year_source[:4]) if year_source else None
    candidates = [d for d in find_dates(segment) if not HISTORY_AFTER.match(segment[d.end:])]
    if TODAY_RE.search(segment) and not any(segment[d.end:d.end + 2].startswith(("起", "开始")) for d in candidates):
        return signed or published
    preferred = [d for d in candidates if re.match(r"\s*(?:起|开始|之日起|0时起|零时起)", segment[d.end:])]
    for d in preferred + candidates:
        resolved = d.resolve(default_year)
        if resolved:
            return resolved
    return None


@dataclass
class _Facts:
    actions: list[str]
    source: str | None  # a key of ACTION_SOURCE_FACTOR; None when nothing in reach closes it
    date: str | None
    successor: str | None
    sentence: str
    binding: str


def _quoted_successors(text: str, sents: list[Sentence], taken: set[int]) -> list[tuple[int, str]]:
    """Quoted names without a platform word that a pointer names ("统一通过“常熟发布”发布")."""
    out = []
    for start, end, name in quotes(text):
        if start in taken or DOCUMENT_TITLE.search(name) or len(name) < 2:
            continue
        if _role(text, _sentence_of(sents, start), start, end) == "successor":
            out.append((start, clean_name(name)))
    return out


def _websites(text: str, sents: list[Sentence]) -> list[tuple[int, str]]:
    out = []
    for w in WEBSITE_RE.finditer(text):
        sent = _sentence_of(sents, w.start())
        cut = max((c.end() for c in _WEBSITE_CUT.finditer(w.group()[:-2])), default=0)
        name = w.group()[cut:]
        if len(name) > 4 and _role(text, sent, w.start() + cut, w.end()) == "successor":
            out.append((w.start() + cut, name))
    return out


def _self_mentions(text: str, sents: list[Sentence], named: list[Mention], wechat_account: str | None,
                   issuer: str | None) -> list[Mention]:
    """本公众号/本账号… resolved to an account, in this order: the account named before it in its
    sentence (reported speech: “某某”抖音号发布“…本账号将注销…”); none when one is named right
    after it (apposition: 我园政务新媒体账号“某某幼儿园”微信公众号); the WeChat article page's own
    account; the nearest account of that platform the notice named before, not as a successor
    (“崂山教育”微信公众号累计推送…。…本公众号将于…停止更新); the issuer."""
    out = []
    for ref in self_references(text):
        sent = _sentence_of(sents, ref.start)
        in_sentence = [m for m in named if sent.start <= m.start < _end(sent)]
        before = [m for m in in_sentence if m.end <= ref.start]
        earlier = [m for m in named if m.end <= ref.start and m.role == "closed"
                   and (ref.platform is None or m.platform == ref.platform)]
        word = "本" + (ref.platform or "")
        if before:
            name, platform, binding = before[-1].name, before[-1].platform, "self_named"
        elif in_sentence:
            continue
        elif wechat_account:
            name, platform, binding = clean_name(normalise(wechat_account)), ref.platform or "wechat", "self_page"
        elif earlier:
            name, platform, binding = earlier[-1].name, earlier[-1].platform, "self_named"
        elif issuer and ref.platform:
            name, platform, binding = clean_name(normalise(issuer)), ref.platform, "self_issuer"
        else:
            continue
        mention = Mention(name, platform, ref.start, ref.end, word=word, binding=binding)
        # The self-reference is the subject of its own clause ("…整合迁移至“雁塔发布”，本账号同步停止
        # 更新"): a pointer earlier in the sentence points elsewhere.
        clause_start = max((c.end() for c in re.finditer(r"[，,；;：:]", text[sent.start:ref.start])), default=0)
        mention.role = _role(text, Sentence(text[sent.start + clause_start:_end(sent)], sent.start + clause_start),
                             ref.start, ref.end)
        out.append(mention)
    return out


def extract_accounts(title: str | None, body: str | None, published_at: str | None = None,
                     taxonomy: Taxonomy | None = None, *, wechat_account: str | None = None,
                     issuer: str | None = None) -> AccountsResult:
    """The accounts a closure notice closes, with action, date, successor, reasons, confidence and
    the sentence that closes each. ``wechat_account`` (the WeChat article page's own account) and
    ``issuer`` name the account that 本公众号/本账号 refers to."""
    title_n, body_n = normalise(title), layouts_as_sentences(normalise(body))
    text = f"{title_n}\n{body_n}" if title_n else body_n
    if not text.strip():
        return AccountsResult((), ())
    sents = sentences(text)
    signed = signature_date(body_n)
    published = iso_date(published_at)
    named = account_mentions(text)
    for m in named:
        m.role = _role(text, _sentence_of(sents, m.start), m.start, m.end)
    mentions = sorted(named + _self_mentions(text, sents, named, wechat_account, issuer), key=lambda m: m.start)
    # A channel named as carrying the information is not also closing (same name, same word).
    carrying = {(m.name, m.word) for m in mentions if m.role == "successor"}
    successors = sorted([(m.start, m.name) for m in mentions if m.role == "successor"]
                        + _quoted_successors(text, sents, {m.start for m in mentions}) + _websites(text, sents))
    doc_successor = successors[0][1] if successors else None

    # Sentences every account may draw on when its own says nothing: ones referring back
    # to accounts named before them, and the closure sentence that carries a date.
    anaphoric = [s for s in sents if ANAPHORA.search(s.text) and _actions_in(s.text)]
    # ("注销时间为2024年4月15日", "本公告自发布之日起生效"); a signature line states no action.
    dated = [s for s in sents if (_actions_in(s.text) and find_dates(s.text)
                                  or TODAY_RE.search(s.text))]
    reason_text = "\n".join(s.text for s in sents if REASON_RE.search(s.text))
    closed = [m for m in mentions if m.role == "closed" and (m.name, m.word) not in carrying]
    naming = {_sentence_of(sents, m.start).start for m in closed}
    one_start_date = _one_start_date([s for s in sents if s.start not in naming], signed, published)
    title_actions = _actions_in(title_n)

    facts: dict[tuple[str, str], list[_Facts]] = {}
    for idx, m in enumerate(closed):
        sent = _sentence_of(sents, m.start)
        later = []  # mentions are in text order: stop at the sentence's end
        for c in itertools.islice(closed, idx + 1, None):
            if c.start >= _end(sent):
                break
            if m.end <= c.start:
                later.append(c)
        # Coordinated accounts ("A、B、C于…注销") share the verb that ends their list.
        actions, seg_start = [], m.end
        for nxt in later + [None]:
            seg_end = nxt.start if nxt else _end(sent)
            actions = _actions_in(text[seg_start:seg_end])
            if actions:
                break
            seg_start = nxt.end if nxt else seg_end
        if not actions:
            actions = _actions_in(sent.text)
        source = "own" if actions else None
        first_after = bisect.bisect_right(anaphoric, m.start, key=lambda s: s.start)
        after = anaphoric[first_after:first_after + 1]
        for s in after:
            actions = actions + _actions_in(s.text)
        source = source or ("anaphora" if actions else None)
        if not actions and len(sent.text) <= len(m.name) + INTRO_ITEM_SLACK:
            actions = _previous_action(sents, sent)
            source = "intro" if actions else None
        if not actions and len(sent.text) <= len(m.name) + LIST_ITEM_SLACK and title_actions:
            actions, source = title_actions, "title"  # a bare list item under a closure title
        date = _date_in(sent.text, signed, published)
        for s in after + ([_sentence_of(sents, m.start)] if not date else []):
            date = date or _date_in(s.text, signed, published)
        # The first successor after the mention within its sentence (successors are sorted by position).
        first = bisect.bisect_right(successors, m.start, key=lambda t: t[0])
        own_successor = (successors[first][1] if first < len(successors)
                         and max(sent.start, m.start + 1) <= successors[first][0] < _end(sent) else None)
        facts.setdefault((m.name, m.platform), []).append(
            _Facts(actions, source, date, own_successor, sent.text, m.binding))

    accounts = []
    for (name, platform), found in facts.items():
        closing = [f for f in found if f.source]
        if not closing:
            continue  # named, but nothing within reach says it closes
        action = _strongest([a for f in closing for a in f.actions])
        date = next((f.date for f in found if f.date), None)
        if date is None:
            intro = _intro_sentences(sents, found)
            date = next((d for d in (_date_in(s.text, signed, published) for s in intro + dated) if d), None)
        date = date or one_start_date
        successor = next((f.successor for f in found if f.successor), None) or doc_successor
        reasons = classify("\n".join([reason_text] + [f.sentence for f in found]), taxonomy, normalised=True).themes
        best = max(closing, key=lambda f: BINDING_CONFIDENCE[f.binding] * ACTION_SOURCE_FACTOR[f.source])
        confidence = round(BINDING_CONFIDENCE[best.binding] * ACTION_SOURCE_FACTOR[best.source], 2)
        accounts.append(ClosedAccount(name, platform, action, date, successor, reasons, confidence, best.sentence))
    found_accounts = tuple(accounts)
    platforms = {a.platform for a in found_accounts} or {p.platform for p in find_platforms(text)}
    return AccountsResult(found_accounts, tuple(p for p in PLATFORM_IDS if p in platforms), doc_successor)


def _one_start_date(sents: list[Sentence], signed: str | None, published: str | None) -> str | None:
    """The date the notice says things start from ("自2024-06-01起生效", "自6月1日起施行"), when its
    sentences that name no account (``sents``) give exactly one; a date in another account's
    sentence is that account's, and several dates leave the account without one."""
    default_year = int((signed or published)[:4]) if (signed or published) else None
    starts = {d.resolve(default_year) for s in sents for d in find_dates(s.text)
              if re.match(r"\s*(?:起|开始|之日起|0时起|零时起)", s.text[d.end:])}
    starts.discard(None)
    return starts.pop() if len(starts) == 1 else None


def _previous_action(sents: list[Sentence], sent: Sentence) -> list[str]:
    """A list item ("1. 微信公众号：某某发布") takes the action of the clause introducing the list."""
    idx = next((i for i, s in enumerate(sents) if s.start == sent.start), 0)
    for s in reversed(sents[max(0, idx - 8):idx]):
        for clause in reversed(re.split(r"[，,；;]", s.text)):
            actions = _actions_in(clause)
            if actions:
                return actions
    return []


def _intro_sentences(sents: list[Sentence], found: list[_Facts]) -> list[Sentence]:
    """The sentences just before an account's first sentence (a list's introduction)."""
    first = next((i for i, s in enumerate(sents) if s.text == found[0].sentence), 0)
    return list(reversed(sents[max(0, first - 8):first]))
