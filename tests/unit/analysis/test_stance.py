"""Stance is not sentiment: the issue's examples, negation, sarcasm, questions."""

import pytest

from analysis import sentiment
from analysis.stance import classify_stance


def test_negative_tone_supporting_closure():
    text = "早就该关了，一年发不了几条，纯属浪费资源"
    assert classify_stance(text).stance == "support"
    assert sentiment.label(sentiment.score(text)) == "negative"


def test_sarcastic_praise_opposes():
    got = classify_stance("关得好啊，以后政策变了咱们就靠猜了[微笑]")
    assert got.stance == "oppose" and got.sarcasm


@pytest.mark.parametrize("text", ["这个号是哪个部门的？", "补充一下，公告里说的是停止更新，不是注销，账号还在", ""])
def test_questions_and_facts_are_neutral(text):
    assert classify_stance(text).stance == "neutral"


def test_negation_turns_approval_around():
    assert classify_stance("支持").stance == "support"
    assert classify_stance("我不支持").stance == "oppose"


def test_a_not_a_question_is_not_a_negation():
    assert classify_stance("该不该关？").stance == "neutral"


def test_contrast_clause_carries_the_position():
    assert classify_stance("开号的时候拿了考核分，关号又算政绩，不过确实早该关").stance == "support"


def test_traditional_characters():
    assert classify_stance("關了以後去哪裡查政策？").stance == "oppose"
