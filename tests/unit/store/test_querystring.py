"""The search-string parser: the tree both backends compile, and its error messages."""

from __future__ import annotations

import pytest

from store.errors import QuerySyntaxError
from core.limits import MAX_QUERY_CHARS, MAX_QUERY_TERMS
from store.querystring import AnyOf, Exclude, ParsedQuery, Term, parse


def test_blank_is_no_query():
    assert parse(None) is None
    assert parse("  \u3000 ") is None


def test_terms_are_and_clauses():
    assert parse("关停 微博") == ParsedQuery((AnyOf((Term("关停"),)), AnyOf((Term("微博"),))))


def test_phrases_in_ascii_and_chinese_quotes():
    expected = ParsedQuery((AnyOf((Term("停止 更新", phrase=True),)),))
    assert parse('"停止 更新"') == expected
    assert parse("“停止 更新”") == expected


def test_or_groups_neighbouring_terms():
    parsed = parse("注销 OR 关停 OR 停止更新 微博")
    assert parsed.clauses == (
        AnyOf((Term("注销"), Term("关停"), Term("停止更新"))),
        AnyOf((Term("微博"),)),
    )
    # lower-case "or" is a word, not an operator
    assert parse("注销 or 关停").clauses[1] == AnyOf((Term("or"),))


def test_leading_minus_excludes():
    parsed = parse('微博 -抖音 -"今日头条"')
    assert parsed.clauses == (AnyOf((Term("微博"),)), Exclude(Term("抖音")), Exclude(Term("今日头条", phrase=True)))
    assert [t.text for t in parsed.positive_terms] == ["微博"]
    assert parse("-抖音").has_positive is False


def test_a_hyphen_inside_a_word_is_part_of_it():
    assert parse("covid-19").clauses == (AnyOf((Term("covid-19"),)),)


def test_terms_without_letters_are_dropped():
    assert parse("关停 ，。 + 注销").clauses == (AnyOf((Term("关停"),)), AnyOf((Term("注销"),)))


@pytest.mark.parametrize(
    "q,message",
    [
        ('"停止更新', "unbalanced quote"),
        ("“停止更新", "unbalanced quote"),
        ("OR", "'OR' must stand between two terms"),
        ("关停 OR", "'OR' must stand between two terms"),
        ("OR 关停", "'OR' must stand between two terms"),
        ("关停 OR OR 注销", "'OR' must stand between two terms"),
        ("-", "must be followed by the term"),
        ("关停 -", "must be followed by the term"),
        ("-抖音 OR 微博", "cannot be part of an OR"),
        ("!!! ...", "no letters, digits or Chinese characters"),
        ('""', "no letters, digits or Chinese characters"),
        ("关" * (MAX_QUERY_CHARS + 1), f"at most {MAX_QUERY_CHARS}"),
        (" ".join(["词"] * (MAX_QUERY_TERMS + 1)), f"more than {MAX_QUERY_TERMS} terms"),
    ],
)
def test_mistakes_raise_errors_that_name_the_problem(q, message):
    with pytest.raises(QuerySyntaxError) as err:
        parse(q)
    assert message in str(err.value)


def test_limits_are_inclusive():
    assert len(parse(" ".join(["词"] * MAX_QUERY_TERMS)).clauses) == MAX_QUERY_TERMS
    assert parse("关" * MAX_QUERY_CHARS) is not None
