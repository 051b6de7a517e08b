"""Stance toward the closure: support / oppose / neutral, separate from sentiment.

Method: rules and lexicons, chosen over a trained model because the only labelled
comments we have are the evaluation set itself (a model fitted to it would measure
nothing), because each rule can be read and argued with by the researchers who cite the
figures, and because it costs microseconds. Sentiment is a poor proxy: people who
support closing an account usually do it by complaining about the account ("早就该关了，
一年发不了几条，纯属浪费资源" — negative tone, support), and people who oppose it often
praise sarcastically.

How a comment is scored:

1. Cue phrases from ``stance_lexicon`` each add a signed weight: support cues (早该关,
   浪费资源, 僵尸号, 形式主义, 减负, 集约化好…) and oppose cues (以后去哪看, 一刀切, 懒政,
   知情权, 不方便…). A negation just before a cue (不支持, 没必要关) flips it.
2. Sarcasm: a Weibo sarcasm emoticon ([微笑], [doge], [允悲], [呵呵]…) or a mock-praise
   frame (好啊/真好/妙啊 followed by a complaint about consequences) turns surface
   approval (关得好, 支持) into opposition. This is how the platform's users write irony;
   it misfires when someone uses [微笑] sincerely.
3. A question with no cue, a factual remark, or cues that cancel out is neutral.

Known failure modes: irony without a marker ("关得好，以后都不用看了"); opposition to
the *accounts* that is not about closing them; comments whose position depends on the
post they answer ("同意楼上"); long comments that weigh both sides end up by the sum of
their cues, not by their conclusion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.stance_lexicon import (
    CONTRAST,
    CONTRAST_WEIGHT,
    FUTURE_LOSS,
    FUTURE_LOSS_WEIGHT,
    INFO_SEEKING,
    INFO_SEEKING_FACTOR,
    MOCK_PRAISE,
    NEGATORS,
    OPPOSE_CUES,
    SARCASM_MARKERS,
    SUPPORT_CUES,
    SURFACE_APPROVAL,
)
from analysis.text import normalise

STANCES = ("support", "oppose", "neutral")
# A comment needs a net cue weight of at least this to take a side. 1.0 = one clear cue;
# weak cues (0.5) alone stay neutral. Chosen by reading the weights, not fitted.
DECISION_MARGIN = 1.0
# Characters before a cue that a negator may occupy to flip it ("不支持", "没必要关").
NEGATION_WINDOW = 3

_CUES = sorted([(w, c, +1) for c, w in SUPPORT_CUES.items()] + [(w, c, -1) for c, w in OPPOSE_CUES.items()],
               key=lambda t: len(t[1]), reverse=True)
_CUE_RE = re.compile("|".join(re.escape(c) for _, c, _ in _CUES))
_CUE_SIGN = {c: (w, s) for w, c, s in _CUES}
_BREAK = re.compile(r"[，,。！？!?；;\n]")


@dataclass(frozen=True)
class StanceResult:
    stance: str
    score: float  # > 0 leans support, < 0 oppose
    sarcasm: bool
    cues: tuple[str, ...]


# Words that begin with a negator but deny nothing (不过 "but", 非常 "very", 无论 "whatever").
_NOT_NEGATIONS = re.compile(r"不过|不少|不错|不仅|不断|不管|无论|非常|没想到|未来")


def _negated(text: str, start: int) -> bool:
    before = _BREAK.split(text[max(0, start - NEGATION_WINDOW - 4):start])[-1]
    before = _NOT_NEGATIONS.sub("", before)[-NEGATION_WINDOW - 1:]
    return any(n in before for n in NEGATORS)


def _a_not_a(text: str, start: int, cue: str) -> bool:
    """"该不该关", "支不支持": the A-not-A form asks; it does not deny."""
    return cue[0] in NEGATORS and start > 0 and len(cue) > 1 and text[start - 1] == cue[1]


def classify_stance(text: str | None, normalised: bool = False) -> StanceResult:
    text = text if normalised else normalise(text)
    if not text.strip():
        return StanceResult("neutral", 0.0, False, ())
    contrast = max((m.end() for m in re.finditer(CONTRAST, text)), default=-1)
    score = 0.0
    cues: list[str] = []
    approval = False
    for m in _CUE_RE.finditer(text):
        cue = m.group()
        if _a_not_a(text, m.start(), cue):
            continue
        weight, sign = _CUE_SIGN[cue]
        # Negation turns approval around (不支持, 不是好事); criticism of the closure stays
        # criticism when negated in Chinese ("不能一关了之", "不该一刀切").
        if sign > 0 and _negated(text, m.start()) and not cue.startswith(NEGATORS):
            sign = -sign
        if cue in SURFACE_APPROVAL and sign > 0:
            approval = True
        if contrast >= 0 and m.start() >= contrast:
            weight *= CONTRAST_WEIGHT
        score += sign * weight
        cues.append(cue)
    for m in re.finditer(FUTURE_LOSS, text):
        score -= FUTURE_LOSS_WEIGHT
        cues.append(m.group())
    if any(marker in text for marker in INFO_SEEKING):
        score *= INFO_SEEKING_FACTOR
    mock = any(re.search(p, text) for p in MOCK_PRAISE)
    sarcasm = mock or any(mark in text for mark in SARCASM_MARKERS)
    if sarcasm and (approval or score > -DECISION_MARGIN):
        # Irony: the approval is the joke. Weigh it as opposition of the same strength.
        score = -max(abs(score), DECISION_MARGIN)
    if score >= DECISION_MARGIN:
        stance = "support"
    elif score <= -DECISION_MARGIN:
        stance = "oppose"
    else:
        stance = "neutral"
    return StanceResult(stance, round(score, 3), sarcasm, tuple(cues))
