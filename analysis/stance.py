"""Stance toward the closure: support / oppose / neutral, separate from sentiment.

Method: rules and lexicons whose verdict feeds a small model trained offline here and shipped
with the project (``analysis/stance_model.py``, weights in ``stance_model.json``, rebuilt
deterministically by ``bench/train_stance.py``). Sentiment is a poor proxy: people who
support closing an account usually do it by complaining about the account ("早就该关了，
一年发不了几条，纯属浪费资源" — negative tone, support), and people who oppose it often
praise sarcastically.

Why both. The rules alone (steps 1-3 below, :func:`classify_by_rules`) scored 0.845 on the
comments they were tuned on but 0.632 on held-out comments, and 0.504 on 399 comments
written later for training: most misses were supportive comments in words no lexicon lists
("拍手叫好", "关注了个寂寞"). Character n-grams learn such wording from a few hundred labelled
comments; the rules add what n-grams cannot learn from so few (negation scope, irony
markers turning approval around). A logistic regression weighs both; its weights can be
read, it costs about 0.1 ms a comment, and it needs no library at run time.

Rules (their verdict and sarcasm flag become the model's ``r:`` features):

1. Cue phrases from ``stance_lexicon`` each add a signed weight: support cues (早该关,
   浪费资源, 僵尸号, 形式主义, 减负, 赞同…) and oppose cues (以后去哪看, 一刀切, 懒政,
   知情权, 不方便, 不同意…). A negation just before a cue (不支持, 没必要关) flips it.
2. Sarcasm: a Weibo sarcasm emoticon ([微笑], [doge], [允悲], [呵呵]…) or a mock-praise
   frame (好啊/真好/妙啊 followed by a complaint about consequences) turns surface
   approval (关得好, 支持) into opposition. This is how the platform's users write irony;
   it misfires when someone uses [微笑] sincerely.
3. A question with no cue, a factual remark, or cues that cancel out is neutral; a text
   that asks for opinions ("你怎么看") and has no cue stays neutral without the model, whose
   n-grams would otherwise read its topic words (关, 政务号) as a side.

The model then takes the most probable of the three stances; ``score`` is
P(support) − P(oppose).

Honesty rules followed while building the model (and to follow when retraining):

- ``tests/data/heldout_comments.txt`` is never read, printed or trained on; it is only
  scored, as a final check, at most three times per revision, each figure recorded here.
  Its texts are checked (by count only) not to be in the training data.
- Training data: the in-sample comments (``comments_*.txt``), ``stance_train_extra.txt``
  (written for training without looking at the held-out file) and the offline web's
  generated commentary, each body once at half weight (see ``bench/train_stance.py``).
- Choices (features, L2, commentary weight, dropping the rules' neutral verdict as a
  feature) were made by 5-fold cross-validation and by training without the extra file and
  testing on it. The lexicon's "general approval/disapproval" words were added after reading
  the model's errors on the extra file (never the held-out one), so the rules' figure on the
  extra file (0.504 → 0.586) is no longer an unseen-text figure.

Held-out runs for this revision (87 comments; rules alone measured 0.632 before):
run 1 — 0.920 (80/87; support 40/42, oppose 21/26, neutral 19/19; hard cases 0.921);
then the opinion-question rule of step 3 was added (prompted by another module's unit test, a
post asking "你怎么看", not by the held-out file; the weights did not change); run 2 — 0.920,
the same confusion matrix. No change was made after it.

Known failure modes: irony without a marker or a mock-praise frame ("关得好，以后都不用看
了"), which the n-grams catch only when its wording resembles training irony — on the held-out
file 5 of the 7 misses were opposition read as support (texts not read; unmarked irony is the
likely cause); rhetorical questions with no cue
("留它做什么") lean support but can stay neutral; opposition to the *accounts* that is not about
closing them; comments whose position depends on the post they answer ("同意楼上"); long
comments that weigh both sides are read by their words, not their conclusion; wording far from
anything in the ~800 training comments falls back to the rules' cues and the class priors.
The in-sample figure is training accuracy (1.000) and means nothing by itself; quote the CV
and held-out figures (BENCHMARKS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis import stance_model
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


def classify_stance(text: str | None, normalised: bool = False) -> StanceResult:
    """Stance of one comment: the rules' verdict and the text's n-grams, weighed by the shipped model."""
    text = text if normalised else normalise(text)
    rules = classify_by_rules(text, normalised=True)
    if not text.strip() or (not rules.cues and any(a in text for a in ASKS_OPINION)):
        return rules
    model = stance_model.load_model()
    probs = model.probabilities(stance_model.features(text, rules.stance, rules.sarcasm))
    stance = max(STANCES, key=lambda s: probs[s])
    return StanceResult(stance, round(probs["support"] - probs["oppose"], 3), rules.sarcasm, rules.cues,
                        rules.stance, rules.score)
