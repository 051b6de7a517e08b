"""Stance toward the closure: support / oppose / neutral, separate from sentiment.

Method: rules and lexicons whose verdict feeds a linear model (scikit-learn, trained by
``analysis/stance_training.py`` — ``yuqing stance train`` — and loaded by
``analysis/stance_model.py``; the shipped model is built on first use from
``analysis/stance_closures.jsonl``, which ``bench/train_stance.py`` exports). Sentiment is a poor proxy: people who
support closing an account usually do it by complaining about the account ("早就该关了，
一年发不了几条，纯属浪费资源" — negative tone, support), and people who oppose it often
praise sarcastically.

Why both. The rules alone (steps 1-3 below, :func:`classify_by_rules`) scored 0.845 on the
comments they were tuned on but 0.632 on held-out comments, and 0.504 on 399 comments
written later for training: most misses were supportive comments in words no lexicon lists
("拍手叫好", "关注了个寂寞"). Character n-grams learn such wording from a few hundred labelled
comments; the rules add what n-grams cannot learn from so few (negation scope, irony
markers turning approval around). A linear SVM over character and word n-grams and the rules'
verdict weighs both (issue 18 replaced the hand-written logistic regression by scikit-learn).

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

Issue 18 (scikit-learn model): held-out comments 0.943, new held-out reactions
(``heldout_reactions.txt``) 0.837, real-text dev set 0.611 — one run each, no change after it
(``bench/reactions_quality.py``; BENCHMARKS.md). Earlier held-out runs (87 comments; rules
alone measured 0.632 before):
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

from pathlib import Path

from analysis import stance_model
from analysis.stance_lexicon import ASKS_OPINION
from analysis.stance_rules import (  # noqa: F401  (re-exported: the rules are part of this module's API)
    DECISION_MARGIN,
    NEGATION_WINDOW,
    StanceResult,
    classify_by_rules,
)
from analysis.text import normalise
from core.vocabulary import STANCES


def classify_stance(text: str | None, normalised: bool = False,
                    model: "stance_model.StanceModel | Path | str | None" = None) -> StanceResult:
    """Stance of one comment: the rules' verdict and the text's n-grams, weighed by a trained model.

    ``model``: a loaded model, a `yuqing stance train` directory (``Settings.stance_model``), or
    None for the shipped closure model."""
    return classify_many([text], normalised, model)[0]


def classify_many(texts: list[str | None], normalised: bool = False,
                  model: "stance_model.StanceModel | Path | str | None" = None) -> list[StanceResult]:
    """``classify_stance`` over a batch: one call into the model for all of them."""
    texts = [t if normalised else normalise(t) for t in texts]
    rules = [classify_by_rules(t, normalised=True) for t in texts]
    # Empty texts, and opinion questions with no cue, keep the rules' neutral verdict: the
    # model's n-grams would read the question's topic words (关, 政务号) as a side.
    scored = [i for i, (t, r) in enumerate(zip(texts, rules))
              if t.strip() and not (not r.cues and any(a in t for a in ASKS_OPINION))]
    out = list(rules)
    if scored:
        loaded = model if isinstance(model, stance_model.StanceModel) else stance_model.load_model(model)
        for i, probs in zip(scored, loaded.probabilities([texts[i] for i in scored])):
            stance = max(STANCES, key=lambda s: probs[s])
            r = rules[i]
            out[i] = StanceResult(stance, round(probs["support"] - probs["oppose"], 3), r.sarcasm, r.cues,
                                  r.stance, r.score)
    return out
