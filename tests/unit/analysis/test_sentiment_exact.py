"""The fast scorer gives stock snownlp's numbers, on every kind of text and by both tagger paths.

Stock snownlp is the reference, computed in the test itself (slow: a few seconds for the
1,000 texts). ``quality.sentiment_samples`` generates them from a fixed seed: notices and
comments about account closures, emoji, Latin letters, digits, full- and half-width
punctuation, traditional characters, unknown characters, whitespace, empty strings, long texts.
"""

from __future__ import annotations

import random

import pytest
import snownlp
from snownlp import seg as stock_seg
from snownlp import sentiment as stock_sentiment

from analysis import sentiment
from quality.sentiment_samples import SPECIAL_TEXTS, sample_texts

TOLERANCE = 1e-9
SAMPLE_SIZE = 1000


def stock_score(text: str) -> float:
    # SnowNLP('') dies in its BM25 constructor before sentiment runs; the classifier itself
    # answers for the empty text (see test_empty_text_follows_the_stock_classifier).
    return snownlp.SnowNLP(text).sentiments if text else stock_sentiment.classify(text)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return sample_texts(SAMPLE_SIZE)


@pytest.fixture(scope="module")
def stock_scores(texts) -> list[float]:
    return [stock_score(t) for t in texts]


@pytest.fixture(scope="module")
def unknown_ideographs() -> str:
    """Characters inside snownlp's ideograph range that its segmenter has never seen
    (taken from the stock model, independently of the fast scorer's tables)."""
    known = {char for char, _tag in stock_seg.segger.segger.uni.d}
    return "".join(chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in known)[:40]


@pytest.fixture(scope="module")
def character_soup(unknown_ideographs) -> list[str]:
    """Random strings mixing common, rare and unknown characters: unseen contexts, score ties
    between paths and unscored characters all happen here, rarely in real sentences."""
    rng = random.Random(11)
    pool = "的一是了我不人在有这个上们来到时大地为子中说生国年着就和要出也得里后自以会家可下而过天能对小多然于心学" + unknown_ideographs
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 20))) for _ in range(400)]


def test_the_sample_covers_the_hard_cases(texts):
    joined = "".join(texts)
    assert set(SPECIAL_TEXTS) <= set(texts)
    assert "" in texts and any(t and not t.strip() for t in texts)
    assert any(ord(c) > 0xFFFF for c in joined)  # emoji / astral characters
    assert any(c.isascii() and c.isalpha() for c in joined) and any(c.isdigit() for c in joined)
    assert "，" in joined and "," in joined  # full- and half-width punctuation
    assert "關" in joined  # traditional characters
    assert max(map(len, texts)) > 300 and min(len(t) for t in texts if t.strip()) < 5


def test_batch_scores_equal_stock(texts, stock_scores):
    sentiment.reset_caches()
    fast = sentiment.score_many(texts)
    worst = max(range(len(texts)), key=lambda i: abs(fast[i] - stock_scores[i]))
    assert abs(fast[worst] - stock_scores[worst]) <= TOLERANCE, texts[worst]


def test_one_at_a_time_scores_equal_stock(texts, stock_scores):
    # Single texts take the plain-Python tagger path; batches the NumPy one.
    sentiment.reset_caches()
    for text, expected in zip(texts, stock_scores):
        assert abs(sentiment.score(text) - expected) <= TOLERANCE, text


@pytest.mark.parametrize("vectorise_from", [0, 10**9], ids=["numpy-tagger", "python-tagger"])
def test_segmentation_of_character_soup_equals_stock(character_soup, vectorise_from):
    expected = [stock_seg.seg(t) for t in character_soup]
    segmenter = sentiment._segmenter()
    saved = segmenter.vectorise_from
    segmenter.clear()
    segmenter.vectorise_from = vectorise_from
    try:
        assert segmenter.segment_many(character_soup) == expected
    finally:
        segmenter.vectorise_from = saved
        segmenter.clear()


def test_soup_scores_equal_stock(character_soup):
    fast = sentiment.score_many(character_soup)
    for text, value in zip(character_soup, fast):
        assert abs(value - stock_score(text)) <= TOLERANCE, text


def test_empty_text_follows_the_stock_classifier():
    with pytest.raises(ZeroDivisionError):  # snownlp's BM25 on an empty document, not sentiment
        snownlp.SnowNLP("").sentiments
    prior = stock_sentiment.classify("")
    assert sentiment.score("") == prior
    assert sentiment.score_many(["", " ", "\u3000\n"]) == [prior, snownlp.SnowNLP(" ").sentiments, prior]


def test_scores_survive_a_cache_reset(texts, stock_scores):
    sentiment.reset_caches()
    assert sentiment.score(texts[100]) == pytest.approx(stock_scores[100], abs=TOLERANCE)
    sentiment.reset_caches()
    assert sentiment.score_many(texts[100:101] * 3) == [sentiment.score(texts[100])] * 3


def test_a_full_memo_keeps_every_run_of_the_batch_that_fills_it(texts, monkeypatch):
    """The memo is cleared when a batch would overfill it; the batch's runs that were
    remembered before must still be cut (they were looked up, then lost: KeyError)."""
    from analysis.snownlp_fast import segmenter as segmenter_module

    segmenter = sentiment._segmenter()
    segmenter.clear()
    expected = [stock_seg.seg(t) for t in texts[:40]]
    try:
        segmenter.segment_many(texts[:20])  # remembered
        remembered = len(segmenter._memo)
        monkeypatch.setattr(segmenter_module, "MAX_MEMO_RUNS", remembered + 1)
        assert segmenter.segment_many(texts[:40]) == expected  # old runs and new ones, past the bound
        assert segmenter.segment_many(texts[:40]) == expected
    finally:
        segmenter.clear()
