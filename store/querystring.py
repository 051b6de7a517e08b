"""The user's search string (``Query.q``), parsed once into a small backend-neutral tree.

Both backends compile the same tree: SQLite into an FTS5 ``MATCH`` expression
(``store/sqlite_text.py``), Elasticsearch into a ``bool`` query. Raw user text never
reaches either engine's own query syntax.

Syntax, as a journalist types it:

- ``关停 微博``            space-separated terms must all match (AND);
- ``"停止更新"`` / ``“停止更新”``  a quoted phrase matches as written (ASCII or Chinese quotes);
- ``注销 OR 关停``          ``OR`` (upper case) between two terms: either matches;
- ``-抖音``                a leading ``-`` excludes documents matching the term.

Every term, quoted or not, matches as a contiguous run of words: ``政务新媒体`` finds the
five characters in that order, not the four bigrams scattered over a page. Terms with no
letter, digit or Chinese character (``，``, ``!!``) carry nothing to search for and are
dropped. Mistakes raise :class:`QuerySyntaxError` naming the problem.

Tree: a :class:`ParsedQuery` is a list of clauses, all required. An :class:`AnyOf` clause
holds one or more terms joined by ``OR``; an :class:`Exclude` clause holds one term that
must not match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.limits import MAX_QUERY_CHARS, MAX_QUERY_TERMS
from store.errors import QuerySyntaxError

# A search box, not a document: real queries in the newsroom pilot were under 40
# characters and 6 terms; the limits (core/limits.py) stop pasted pages from becoming huge
# FTS programs.

OR_OPERATOR = "OR"
# ASCII quotes plus the curly quotes a Chinese input method types.
_QUOTE_PAIRS = {'"': '"', "“": "”", "”": "”"}
# Something to search for: a letter or digit of any script (CJK ideographs count as letters).
_SEARCHABLE = re.compile(r"[^\W_]")
_SPACE = re.compile(r"\s")  # includes the ideographic space U+3000


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False  # written in quotes


@dataclass(frozen=True)
class AnyOf:
    """Matches when any of ``terms`` matches (one term: that term must match)."""

    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Exclude:
    term: Term


Clause = AnyOf | Exclude


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...] = field(default_factory=tuple)

    @property
    def positive_terms(self) -> list[Term]:
        """Terms a matching document contains (for highlighting and scoring)."""
        return [t for c in self.clauses if isinstance(c, AnyOf) for t in c.terms]

    @property
    def has_positive(self) -> bool:
        return any(isinstance(c, AnyOf) for c in self.clauses)


@dataclass(frozen=True)
class _Token:
    kind: str  # "term" | "or"
    term: Term | None = None
    negated: bool = False


def _lex(q: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if _SPACE.match(ch):
            i += 1
            continue
        negated = False
        if ch == "-":
            negated = True
            i += 1
            if i >= n or _SPACE.match(q[i]):
                raise QuerySyntaxError("a '-' must be followed by the term to exclude, e.g. -抖音")
            ch = q[i]
        if ch in _QUOTE_PAIRS:
            close = _QUOTE_PAIRS[ch]
            end = q.find(close, i + 1)
            if close != '"' and end < 0:
                end = q.find('"', i + 1)
            if end < 0:
                raise QuerySyntaxError(f"unbalanced quote: the phrase starting at character {i + 1} is never closed")
            tokens.append(_Token("term", Term(q[i + 1 : end].strip(), phrase=True), negated))
            i = end + 1
            continue
        start = i
        while i < n and not _SPACE.match(q[i]) and q[i] not in _QUOTE_PAIRS:
            i += 1
        word = q[start:i]
        if word == OR_OPERATOR and not negated:
            tokens.append(_Token("or"))
        else:
            tokens.append(_Token("term", Term(word), negated))
    return tokens


def parse(q: str | None) -> ParsedQuery | None:
    """Parse a search string; ``None`` or blank means no text condition (returns None)."""
    if q is None or not q.strip():
        return None
    if len(q) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"search text is {len(q)} characters; at most {MAX_QUERY_CHARS} are allowed")
    tokens = _lex(q)
    if sum(1 for t in tokens if t.kind == "term") > MAX_QUERY_TERMS:
        raise QuerySyntaxError(f"search text has more than {MAX_QUERY_TERMS} terms")

    groups: list[list[_Token]] = []
    pending_or = False
    for pos, tok in enumerate(tokens):
        if tok.kind == "or":
            if not groups or pending_or:
                raise QuerySyntaxError("'OR' must stand between two terms, e.g. 注销 OR 关停")
            pending_or = True
            continue
        if pending_or:
            groups[-1].append(tok)
            pending_or = False
        else:
            groups.append([tok])
    if pending_or:
        raise QuerySyntaxError("'OR' must stand between two terms, e.g. 注销 OR 关停")

    clauses: list[Clause] = []
    for group in groups:
        if len(group) > 1 and any(t.negated for t in group):
            raise QuerySyntaxError("an excluded term (-term) cannot be part of an OR")
        terms = tuple(t.term for t in group if t.term is not None and _SEARCHABLE.search(t.term.text))
        if not terms:
            continue
        if group[0].negated:
            clauses.append(Exclude(terms[0]))
        else:
            clauses.append(AnyOf(terms))
    if not clauses:
        raise QuerySyntaxError("search text has no letters, digits or Chinese characters to search for")
    return ParsedQuery(tuple(clauses))
