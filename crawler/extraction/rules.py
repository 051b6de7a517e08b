"""The spider's rules (``crawler/rules.yaml``) as typed, compiled objects.

Loaded once per process (``load_rules()``); ``reset_rules()`` forgets the cache, and
``load_rules(path)`` reads another file (tests, or a deployment with its own wording).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent.parent / "rules.yaml"


class RulesError(ValueError):
    """The rules file is missing a section or holds a pattern that does not compile."""


@dataclass(frozen=True)
class MetaRules:
    title: tuple[str, ...]
    published: tuple[str, ...]
    issuer: tuple[str, ...]
    column: tuple[str, ...]
    site_name: tuple[str, ...]


@dataclass(frozen=True)
class DateRules:
    labels: tuple[str, ...]
    label_gap_chars: int
    value_patterns: tuple[re.Pattern[str], ...]
    utc_offset: str


@dataclass(frozen=True)
class TitleRules:
    separators: tuple[str, ...]
    site_suffix_patterns: tuple[re.Pattern[str], ...]
    column_names: frozenset[str]
    number_suffix_patterns: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True)
class IssuerRules:
    forward_title_terms: tuple[str, ...]
    labels: tuple[str, ...]
    uninformative: frozenset[str]
    signature_patterns: tuple[re.Pattern[str], ...]
    max_signature_lines: int


@dataclass(frozen=True)
class BodyRules:
    drop_line_patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class WeChatRules:
    url_patterns: tuple[re.Pattern[str], ...]
    title_css: tuple[str, ...]
    account_css: tuple[str, ...]
    body_css: tuple[str, ...]
    publish_time_patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class RegionRules:
    """Page furniture whose links are never notices: by tag, by class/id word, by heading."""

    tags: dict[str, str]  # tag -> region name
    class_words: dict[str, frozenset[str]]  # region name -> class/id words
    heading_patterns: dict[str, re.Pattern[str]]  # region name -> pattern on the box's heading


@dataclass(frozen=True)
class ListingRules:
    next_page_texts: tuple[str, ...]
    trs_page_patterns: tuple[re.Pattern[str], ...]
    jcms_record_xpath: str
    jcms_proxy_path: str
    jcms_param_patterns: dict[str, tuple[re.Pattern[str], ...]]
    min_headline_chars: int
    min_dated_links: int
    article_min_chars: int
    home_link_texts: tuple[str, ...]
    more_link_patterns: tuple[re.Pattern[str], ...]
    skip_link_patterns: tuple[re.Pattern[str], ...]
    regions: RegionRules
    prev_next_patterns: tuple[re.Pattern[str], ...]
    article_url_patterns: tuple[re.Pattern[str], ...]
    pager_text_patterns: tuple[re.Pattern[str], ...]
    js_pager_call_patterns: tuple[re.Pattern[str], ...]
    js_pager_url_patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Exclusion:
    id: str
    title_terms: tuple[str, ...]


@dataclass(frozen=True)
class ClosureRules:
    platform_terms: tuple[str, ...]
    action_terms: tuple[str, ...]
    sentence_breaks: str
    max_sentences: int
    exclusions: tuple[Exclusion, ...]


@dataclass(frozen=True)
class Rules:
    meta: MetaRules
    dates: DateRules
    titles: TitleRules
    issuer: IssuerRules
    body: BodyRules
    wechat: WeChatRules
    listing: ListingRules
    closure: ClosureRules


def _compile(patterns: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    out = []
    for pattern in patterns:
        try:
            out.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise RulesError(f"{where}: pattern {pattern!r} does not compile: {exc}") from None
    return tuple(out)


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    section = raw.get(name)
    if not isinstance(section, dict):
        raise RulesError(f"rules file lacks the {name!r} section")
    return section


def _regions(raw: dict[str, Any]) -> RegionRules:
    tags = {str(tag): str(name) for name, tag_list in raw["tags"].items() for tag in tag_list}
    words = {str(name): frozenset(str(w).lower() for w in ws) for name, ws in raw["class_words"].items()}
    headings = {}
    for name, patterns in raw["heading_patterns"].items():
        headings[str(name)] = _compile(["|".join(f"(?:{p})" for p in patterns)], f"listing.regions.heading_patterns.{name}")[0]
    return RegionRules(tags, words, headings)


def parse_rules(raw: dict[str, Any]) -> Rules:
    """Typed rules from the parsed YAML mapping (raises ``RulesError`` naming what is wrong)."""
    try:
        meta, dates, titles = _section(raw, "meta"), _section(raw, "dates"), _section(raw, "titles")
        issuer, wechat, body = _section(raw, "issuer"), _section(raw, "wechat"), _section(raw, "body")
        listing, closure = _section(raw, "listing"), _section(raw, "closure")
        return Rules(
            meta=MetaRules(**{k: tuple(meta[k]) for k in ("title", "published", "issuer", "column", "site_name")}),
            dates=DateRules(
                # Longest label first: 发布时间 must win over its own tail 时间.
                labels=tuple(sorted(dates["labels"], key=len, reverse=True)),
                label_gap_chars=int(dates["label_gap_chars"]),
                value_patterns=_compile(dates["value_patterns"], "dates.value_patterns"),
                utc_offset=str(dates["utc_offset"]),
            ),
            titles=TitleRules(
                separators=tuple(titles["separators"]),
                site_suffix_patterns=_compile(titles["site_suffix_patterns"], "titles.site_suffix_patterns"),
                column_names=frozenset(titles["column_names"]),
                number_suffix_patterns=_compile(titles.get("number_suffix_patterns", []), "titles.number_suffix_patterns"),
            ),
            issuer=IssuerRules(
                forward_title_terms=tuple(issuer["forward_title_terms"]),
                labels=tuple(issuer["labels"]),  # in order of preference
                uninformative=frozenset(issuer["uninformative"]),
                signature_patterns=_compile(issuer["signature_patterns"], "issuer.signature_patterns"),
                max_signature_lines=int(issuer["max_signature_lines"]),
            ),
            body=BodyRules(drop_line_patterns=_compile(body["drop_line_patterns"], "body.drop_line_patterns")),
            wechat=WeChatRules(
                url_patterns=_compile(wechat["url_patterns"], "wechat.url_patterns"),
                title_css=tuple(wechat["title_css"]),
                account_css=tuple(wechat["account_css"]),
                body_css=tuple(wechat["body_css"]),
                publish_time_patterns=_compile(wechat["publish_time_patterns"], "wechat.publish_time_patterns"),
            ),
            listing=ListingRules(
                next_page_texts=tuple(listing["next_page_texts"]),
                trs_page_patterns=_compile(listing["trs_page_patterns"], "listing.trs_page_patterns"),
                jcms_record_xpath=str(listing["jcms_record_xpath"]),
                jcms_proxy_path=str(listing["jcms_proxy_path"]),
                jcms_param_patterns={
                    name: _compile(patterns, f"listing.jcms_param_patterns.{name}")
                    for name, patterns in listing["jcms_param_patterns"].items()
                },
                min_headline_chars=int(listing["min_headline_chars"]),
                min_dated_links=int(listing["min_dated_links"]),
                article_min_chars=int(listing["article_min_chars"]),
                home_link_texts=tuple(listing["home_link_texts"]),
                more_link_patterns=_compile(listing["more_link_patterns"], "listing.more_link_patterns"),
                skip_link_patterns=_compile(listing["skip_link_patterns"], "listing.skip_link_patterns"),
                regions=_regions(listing["regions"]),
                prev_next_patterns=_compile(listing["prev_next_patterns"], "listing.prev_next_patterns"),
                article_url_patterns=_compile(listing["article_url_patterns"], "listing.article_url_patterns"),
                pager_text_patterns=_compile(listing["pager_text_patterns"], "listing.pager_text_patterns"),
                js_pager_call_patterns=_compile(listing["js_pager_call_patterns"], "listing.js_pager_call_patterns"),
                js_pager_url_patterns=_compile(listing["js_pager_url_patterns"], "listing.js_pager_url_patterns"),
            ),
            closure=ClosureRules(
                platform_terms=tuple(closure["platform_terms"]),
                action_terms=tuple(closure["action_terms"]),
                sentence_breaks=str(closure["sentence_breaks"]),
                max_sentences=int(closure["max_sentences"]),
                exclusions=tuple(Exclusion(e["id"], tuple(e["title_terms"])) for e in closure["exclusions"]),
            ),
        )
    except (KeyError, TypeError) as exc:
        raise RulesError(f"rules file is missing or mistypes {exc}") from None


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> Rules:
    """The rules in ``path`` (default ``crawler/rules.yaml``), parsed once per process."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"cannot read rules file {path}: {exc}") from None
    if not isinstance(raw, dict):
        raise RulesError(f"rules file {path} is not a mapping")
    return parse_rules(raw)


def reset_rules() -> None:
    """Forget loaded rules (after editing the file in a long-running process, or in tests)."""
    load_rules.cache_clear()
