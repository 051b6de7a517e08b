"""Is this page an announcement that accounts close? Decided from its text, by the rules
in ``rules.yaml`` (section ``closure``): an account/platform term and a closure action in
the title or in one of the first sentences, unless the title matches an exclusion."""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extraction.rules import ClosureRules


@dataclass(frozen=True)
class ClosureDecision:
    closure: bool
    reason: str  # "title", "sentence 3", "excluded: inspection_report", "no platform term"…
    platform_term: str | None = None
    action_term: str | None = None
    evidence: str | None = None  # the title or sentence that decided it


def _first(terms: tuple[str, ...], text: str) -> str | None:
    for term in terms:
        if term in text:
            return term
    return None


def sentences(text: str, rules: ClosureRules) -> list[str]:
    parts = re.split(f"[{re.escape(rules.sentence_breaks)}]", text)
    return [p.strip() for p in parts if p.strip()]


def decide_closure(title: str, body: str, rules: ClosureRules) -> ClosureDecision:
    for exclusion in rules.exclusions:
        term = _first(exclusion.title_terms, title)
        if term:
            return ClosureDecision(False, f"excluded: {exclusion.id} ({term})", evidence=title)
    candidates = [("title", title)] + [
        (f"sentence {n}", s) for n, s in enumerate(sentences(body, rules)[: rules.max_sentences], start=1)
    ]
    saw_platform = saw_action = False
    for where, text in candidates:
        platform = _first(rules.platform_terms, text)
        action = _first(rules.action_terms, text)
        saw_platform |= platform is not None
        saw_action |= action is not None
        if platform and action:
            return ClosureDecision(True, where, platform, action, text)
    if not saw_platform:
        return ClosureDecision(False, "no platform term")
    if not saw_action:
        return ClosureDecision(False, "no closure action")
    return ClosureDecision(False, "platform and action never in one sentence")
