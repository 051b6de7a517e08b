"""Chinese full text for SQLite: what gets indexed, how a parsed query becomes ``MATCH``.

The promise: any Chinese term of two or more characters found in a title or body finds
that document. FTS5's ``trigram`` tokenizer cannot keep it (a 2-character term such as
关停 has no trigram), and ``unicode61`` keeps a whole run of Chinese as one token (so 关停
inside 决定关停账号 is never a token of its own). We therefore expand the text in Python
before FTS5 sees it, the way Lucene's CJK analyzer does (``cjk_bigram``):

- text is NFKC-normalised (full-width ``ＡＰＰ`` → ``APP``) and lower-cased;
- each run of Chinese characters becomes its overlapping bigrams, ``决定关停账号`` →
  ``决定 定关 关停 停账 账号``; a run of one character stays one token;
- runs of Latin letters and digits stay words (``APP``, ``2024``, ``douyin``);
- the expanded text goes into an FTS5 table with the ``unicode61`` tokenizer, which now
  only splits on the spaces we put in.

A query term is expanded the same way and matched as an FTS5 phrase, so ``关停`` is one
bigram token and ``政务新媒体`` the phrase ``政务 务新 新媒 媒体``, which only matches where
the five characters stand together. Bigram phrases never cross punctuation, since the
bigrams of one run are never joined with those of the next.

Measured once on 2,000 texts of ~430 characters stitched from the contract corpus
(``tests/unit/store/test_sqlite_text.py`` keeps the behaviour, not the figures): a trigram
table found none of the 1,576 texts holding both 关停 and 注销; the bigram table found all
of them, in under a millisecond, at 1.5× the trigram table's size (7.7 MB against 5.3 MB).
A trigram table plus a bigram side index would pay for two indexes to give the same
answers. And bigrams are what Elasticsearch's stock ``cjk`` analyzer indexes, so both
backends agree on which documents a Chinese query finds.

Known limit: a single Chinese character matches only where it stands alone between
non-Chinese characters (as in Elasticsearch's CJK analyzer, so both backends agree).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import add

from store.querystring import AnyOf, Exclude, ParsedQuery, Term

# Ideographs (BMP unified + extension A + compatibility) and the supplementary planes'
# extensions; kana/hangul are rare in this corpus and tokenised as words by unicode61.
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+)")

# Bumped whenever expand() changes: the store rebuilds its full-text tables on open.
TEXT_VERSION = 1

# Snippets: a window of this many characters around each of the first matches, at most
# this many windows per field. Chosen to fit two lines of a result list on a phone.
SNIPPET_CHARS = 120
MAX_SNIPPETS = 3
# A field up to this long (a title, a short comment) is shown whole rather than cut.
WHOLE_FIELD_CHARS = 200


def normalise(text: str) -> str:
    """NFKC, lower-cased. Most text is normalised one character at a time by a
    ``str.translate`` table (full-width commas and all: ~36 → ~21 µs for a notice body),
    which is exact whenever its result is itself NFKC-normalised: NFKD reads a string one
    character at a time (then orders combining marks), and NFKD(NFKC(c)) = NFKD(c), so the
    text and the translated text have the same NFKD, hence the same NFKC. Otherwise (what
    only composes across characters, as compatibility jamo do) the whole text is normalised."""
    translated = text.translate(_nfkc_table())
    if unicodedata.is_normalized("NFKC", translated):
        return translated.lower()
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=1)
def _nfkc_table() -> dict[int, str]:
    """Each character of the Basic Multilingual Plane that NFKC changes, and what it becomes
    (~3,000 of them; built on first use, ~20 ms). Other planes' characters stay as they are
    in the translated text, which ``normalise`` then finds not normalised if NFKC changes them."""
    table: dict[int, str] = {}
    for cp in range(0x10000):
        ch = chr(cp)
        norm = unicodedata.normalize("NFKC", ch)
        if norm != ch:
            table[cp] = norm
    return table


def words(text: str) -> list[list[str]]:
    """Runs of the text: each a list of tokens (bigrams of a Chinese run, or one word)."""
    return [(list(map(add, cjk, cjk[1:])) if len(cjk) > 1 else [cjk]) if cjk else [word]
            for cjk, word in _RUN.findall(normalise(text))]


def expand(text: str | None) -> str:
    """The text as FTS5 and the search index see it: space-separated tokens."""
    if not text:
        return ""
    return " ".join([(" ".join(map(add, cjk, cjk[1:])) if len(cjk) > 1 else cjk) if cjk else word
                     for cjk, word in _RUN.findall(normalise(text))])


def _phrase(term: Term) -> str | None:
    tokens = [tok for run in words(term.text) for tok in run]
    if not tokens:
        return None
    # Tokens hold only letters/digits, but quote-escaping keeps the MATCH string safe even
    # if that ever changes.
    return '"' + " ".join(tokens).replace('"', '""') + '"'


@dataclass(frozen=True)
class MatchPlan:
    """How a parsed query runs in FTS5: one expression the document must match (or None
    when the query only excludes), and expressions it must not match."""

    include: str | None
    exclude: list[str]


def compile_match(query: ParsedQuery) -> MatchPlan:
    include: list[str] = []
    exclude: list[str] = []
    for clause in query.clauses:
        if isinstance(clause, AnyOf):
            phrases = [p for p in (_phrase(t) for t in clause.terms) if p]
            if phrases:
                include.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
        elif isinstance(clause, Exclude):
            p = _phrase(clause.term)
            if p:
                exclude.append(p)
    return MatchPlan(" AND ".join(include) if include else None, exclude)


# --- highlighting -------------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _normalised_char(ch: str) -> str:
    return normalise(ch)


@lru_cache(maxsize=1)
def _one_for_one() -> tuple[dict[int, str], re.Pattern[str]]:
    """Normalisation one character at a time as a ``str.translate`` table, for the
    characters of the Basic Multilingual Plane that normalise to exactly one character,
    and a pattern finding any other character (ﬁ → fi, ㎏ → kg, the other planes). Built
    on first use from ``_nfkc_table``."""
    table: dict[int, str] = {}
    others: list[str] = []
    nfkc = _nfkc_table()
    for cp in range(0x10000):
        ch = chr(cp)
        norm = nfkc.get(cp, ch).lower()
        if len(norm) != 1:
            others.append(re.escape(ch))
        elif norm != ch:
            table[cp] = norm
    return table, re.compile("[" + "".join(others) + "\U00010000-\U0010ffff]")


def _normalised_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """NFKC + lower-case the text one character at a time, remembering where each
    normalised character came from, so matches found in normalised text can be marked in
    the original (full-width commas and all); the offsets are None when each character
    stayed one character (where it came from is where it is). Highlighting 20 notices of
    ~400 characters took ~9 ms character by character, most of a search; text whose every
    character normalises to one is translated in C (a page of 20 notices: ~2.4 → ~0.9 ms)."""
    table, others = _one_for_one()
    if others.search(text) is None:
        return text.translate(table), None
    parts = list(map(_normalised_char, text))
    origin: list[int] = []
    for i, part in enumerate(parts):
        origin.extend([i] * len(part))
    origin.append(len(text))
    return "".join(parts), origin


def _term_pattern(term: Term) -> re.Pattern[str] | None:
    runs = _RUN.findall(normalise(term.text))
    parts = [re.escape(cjk or word) for cjk, word in runs]
    if not parts:
        return None
    # Runs of a phrase may be separated by anything that is not a letter or digit, as in
    # the index, where punctuation and spaces leave no token.
    body = r"[\W_]*".join(parts)
    # A Latin word matches whole words only, like the index's tokens.
    latin_char = rf"[^\W_{_CJK}]"
    if not runs[0][0]:
        body = rf"(?<!{latin_char})" + body
    if not runs[-1][0]:
        body = body + rf"(?!{latin_char})"
    return re.compile(body)


def _spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    norm, origin = _normalised_with_offsets(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        pattern = _term_pattern(term)
        if pattern is None:
            continue
        for m in pattern.finditer(norm):
            if m.end() > m.start():
                spans.append((m.start(), m.end()) if origin is None else (origin[m.start()], origin[m.end() - 1] + 1))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _mark(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    out: list[str] = []
    pos = lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        out.append(html.escape(text[pos:start], quote=False))
        out.append("<mark>" + html.escape(text[start:end], quote=False) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:hi], quote=False))
    return "".join(out)


def snippets(text: str | None, terms: list[Term]) -> list[str]:
    """Windows of ``text`` around the first matches of ``terms``: matches in ``<mark>``,
    everything else HTML-escaped, ``…`` where the text was cut. Empty when nothing matches."""
    if not text or not terms:
        return []
    spans = _spans(text, terms)
    if not spans:
        return []
    if len(text) <= WHOLE_FIELD_CHARS:
        return [_mark(text, spans, 0, len(text))]
    out: list[str] = []
    covered = -1
    for start, end in spans:
        if start < covered:
            continue
        lo = max(0, start - SNIPPET_CHARS // 3)
        hi = min(len(text), max(end, lo + SNIPPET_CHARS))
        out.append(("…" if lo > 0 else "") + _mark(text, spans, lo, hi) + ("…" if hi < len(text) else ""))
        covered = hi
        if len(out) >= MAX_SNIPPETS:
            break
    return out
