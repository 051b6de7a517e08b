"""Chinese text for FTS5: bigram expansion, MATCH compilation, highlighted snippets."""

from __future__ import annotations

import sqlite3

from store.querystring import Term, parse
from store.sqlite_text import MAX_SNIPPETS, SNIPPET_CHARS, compile_match, expand, snippets


def test_chinese_runs_become_bigrams_and_latin_stays_words():
    assert expand("决定关停账号") == "决定 定关 关停 停账 账号"
    assert expand("关停“城市APP”，2024年") == "关停 城市 app 2024 年"
    assert expand("ＡＰＰ") == "app"  # full width folded
    assert expand("") == "" and expand(None) == ""


def test_match_expressions_are_quoted_phrases_only():
    plan = compile_match(parse('政务新媒体 注销 OR 关停 -"抖音号"'))
    assert plan.include == '"政务 务新 新媒 媒体" AND ("注销" OR "关停")'
    assert plan.exclude == ['"抖音 音号"']
    # FTS5 operators typed by the user end up as words inside quotes, never as syntax.
    plan = compile_match(parse('NEAR(关停 AND* "x" ^col:注销'))
    assert plan.include == '"near 关停" AND "and" AND "x" AND "col 注销"'


def test_trigram_alone_misses_two_character_terms_the_bigram_table_finds():
    """Why the store does not use FTS5's trigram tokenizer: it cannot find 关停."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE tri USING fts5(body, tokenize='trigram')")
    conn.execute("CREATE VIRTUAL TABLE bi USING fts5(body, tokenize='unicode61')")
    text = "经研究决定，关停“城市之窗”微信公众号。"
    conn.execute("INSERT INTO tri VALUES (?)", (text,))
    conn.execute("INSERT INTO bi VALUES (?)", (expand(text),))
    assert conn.execute("SELECT count(*) FROM tri WHERE tri MATCH ?", ('"关停"',)).fetchone()[0] == 0
    for q, hits in [("关停", 1), ("微信公众号", 1), ("城市之窗", 1), ("停城", 0), ("号关", 0)]:
        expr = compile_match(parse(q)).include
        assert conn.execute("SELECT count(*) FROM bi WHERE bi MATCH ?", (expr,)).fetchone()[0] == hits, q


def test_snippet_marks_matches_and_escapes_the_rest():
    text = "附件：<账号清单> & 关停名单"
    assert snippets(text, [Term("关停")]) == ["附件：&lt;账号清单&gt; &amp; <mark>关停</mark>名单"]


def test_snippet_marks_latin_case_insensitively_and_whole_words_only():
    assert snippets("Happy APP, app 与 ＡＰＰ", [Term("app")]) == [
        "Happy <mark>APP</mark>, <mark>app</mark> 与 <mark>ＡＰＰ</mark>"
    ]


def test_phrase_spanning_punctuation_is_marked_whole():
    assert snippets("城市 APP 停止服务", [Term("城市APP")]) == ["<mark>城市 APP</mark> 停止服务"]


def test_long_text_gets_windows_around_the_first_matches():
    filler = "这是一段与主题无关的说明文字。" * 30
    text = filler + "关停" + filler + "关停" + filler + "关停" + filler + "关停" + filler
    found = snippets(text, [Term("关停")])
    assert len(found) == MAX_SNIPPETS
    for snippet in found:
        assert snippet.startswith("…") and snippet.endswith("…")
        assert snippet.count("<mark>关停</mark>") == 1
        assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET_CHARS + 2


def test_no_match_no_snippet():
    assert snippets("毫不相关的文字", [Term("关停")]) == []
    assert snippets("关停", []) == []


def test_a_character_that_normalises_to_several_still_marks_the_original_text():
    # ㎏ becomes "kg" and ｍ "m": a match after them is marked where it stands in the original
    assert snippets("重量㎏ｍ关停通知", [Term("关停")]) == ["重量㎏ｍ<mark>关停</mark>通知"]
    assert snippets("單位：㎏ 重", [Term("kg")]) == ["單位：<mark>㎏</mark> 重"]  # the match is the one character


def test_text_normalised_in_one_translation_matches_the_character_by_character_reading():
    from store.sqlite_text import _normalised_char, _normalised_with_offsets

    def by_character(text):
        parts = [_normalised_char(ch) for ch in text]
        origin = [i for i, part in enumerate(parts) for _ in part] + [len(text)]
        return "".join(parts), origin

    texts = [
        "关于停止更新“昆明发布”微信公众号的公告，自2024年6月1日起。",  # full-width punctuation: one for one
        "ＡＰＰ下载ＮＥＷＳ，Café ΟΔΟΣ",  # full-width Latin, accents, a final sigma read alone
        "ﬁle ㎏ ½ 𠀋字",  # several characters from one, and a character beyond the BMP
        "e\u0301 combining, \u3000 ideographic space",
    ]
    for text in texts:
        norm, origin = _normalised_with_offsets(text)
        expected_norm, expected_origin = by_character(text)
        assert norm == expected_norm, text
        assert (origin or list(range(len(text) + 1))) == expected_origin, text
    assert _normalised_with_offsets(texts[0])[1] is None  # the fast path was taken
    assert _normalised_with_offsets(texts[2])[1] is not None  # … and not where it cannot be
    # Marks land on the same characters either way.
    assert snippets("ＡＰＰ下载", [Term("app")]) == ["<mark>ＡＰＰ</mark>下载"]


def _nfkc_lower(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text).lower()


def _expanded_by_definition(text: str) -> str:
    """The bigram expansion as the module docstring defines it, on the whole text at once."""
    from store.sqlite_text import _RUN

    out = []
    for m in _RUN.finditer(_nfkc_lower(text)):
        cjk, word = m.group(1), m.group(2)
        out.extend([cjk[i:i + 2] for i in range(len(cjk) - 1)] or [cjk] if cjk else [word])
    return " ".join(out)


def test_text_translated_one_character_at_a_time_normalises_as_the_whole_text_does():
    import random

    from store.sqlite_text import normalise

    tricky = [
        "关于停止更新“昆明发布”微信公众号的公告，自２０２４年６月１日起。",  # full-width digits and punctuation
        "ㄱㅏ ㅎㅏㄴ",  # compatibility jamo: composed into syllables only across characters
        "\u1100\u1161\u11a8 가\u11a8",  # conjoining jamo, and a syllable taking a final consonant
        "e\u0301 a\u0323\u0302 \u0301start",  # combining marks composed and reordered
        "ﬁle ㎏ ½ ① ㍻ ㈱ Ⅻ",  # several characters from one
        "\uf900\uf901 𠀋字 𝐀𝐁 𝟘",  # compatibility ideographs, other planes, mathematical letters
        "ΟΔΟΣ İstanbul ß ẞ",  # case: lower-cased after NFKC either way
    ]
    rng = random.Random(7)
    pool = [chr(cp) for cp in range(0x20, 0x3000, 7)] + list("ㄱㅏㅎㄴ\u1100\u1161\u11a8\u0301\u0323\u0302가关停ＡＰＰ")
    texts = tricky + ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        assert normalise(text) == _nfkc_lower(text), repr(text)
        assert expand(text) == _expanded_by_definition(text), repr(text)
