"""The stance rules (steps 1-3 of ``analysis/stance.py``): cue lexicons, negation, sarcasm.

Apart from ``analysis/stance.py`` so that the stance model's training code
(``analysis/stance_training.py``, whose closure model takes the rules' verdict as features)
can use them without importing the module that loads the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.stance_lexicon import (
    ASKS_OPINION,
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
from core.vocabulary import STANCES

# The rules need a net cue weight of at least this to take a side. 1.0 = one clear cue;
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
    score: float  # > 0 leans support, < 0 oppose (model: P(support) - P(oppose); rules: cue sum)
    sarcasm: bool  # the rules saw an irony marker or a mock-praise frame
    cues: tuple[str, ...]  # lexicon cues the rules matched, for explaining a label
    rule_stance: str = "neutral"  # what the rules alone said
    rule_score: float = 0.0


# Words that begin with a negator but deny nothing (不过 "but", 非常 "very", 无论 "whatever").
_NOT_NEGATIONS = re.compile(r"不过|不少|不错|不仅|不断|不管|无论|非常|没想到|未来")


def _negated(text: str, start: int) -> bool:
    before = _BREAK.split(text[max(0, start - NEGATION_WINDOW - 4):start])[-1]
    before = _NOT_NEGATIONS.sub("", before)[-NEGATION_WINDOW - 1:]
    return any(n in before for n in NEGATORS)


def _a_not_a(text: str, start: int, cue: str) -> bool:
    """"该不该关", "支不支持": the A-not-A form asks; it does not deny."""
    return cue[0] in NEGATORS and start > 0 and len(cue) > 1 and text[start - 1] == cue[1]


def classify_by_rules(text: str | None, normalised: bool = False) -> StanceResult:
    """The rules alone (steps 1-3): the model's ``r:`` features, and a baseline to compare."""
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
    return StanceResult(stance, round(score, 3), sarcasm, tuple(cues), stance, round(score, 3))


