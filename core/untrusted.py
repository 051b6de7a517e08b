"""Reading untrusted JSON: one line, one verdict, never an exception that takes its neighbours.

Every reader of outside text — ``yuqing analyze`` (stdin), ``yuqing index load`` (a spill
file), ``POST /analyze`` (a request body), the spiders (Weibo's and news sites' JSON) —
decodes and parses through here, so each bad input becomes a ``ValueError`` saying what is
wrong, and what passes is safe downstream:

- bytes that are not UTF-8 are refused (not guessed at);
- nesting deeper than ``MAX_JSON_DEPTH`` is refused before Python's recursion limit turns it
  into a ``RecursionError`` (a 100,000-deep ``[[[…`` line did exactly that);
- lone surrogates (``"\\ud800"`` is valid JSON but not encodable text) are replaced with
  U+FFFD in every string and key: SQLite, Elasticsearch and any UTF-8 output would refuse them.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Deeper than any document or API answer yuqing reads (a Weibo comment page is about 8 levels
# deep, a stored document 4), far below the ~1,000 frames that would crash the parser.
MAX_JSON_DEPTH = 64
REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON escape that can decode to a surrogate: without one (and without a raw surrogate in
# the text) the parsed value needs no cleaning — the common case, skipped in one search.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (a str holds only lone ones:
    a valid pair decodes to one code point)."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def decode_line(raw: bytes | str) -> str:
    """A line as text; ValueError when it is not UTF-8 (a binary file, another encoding)."""
    if isinstance(raw, str):
        return clean_text(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})") from None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def check_depth(text: str, limit: int = MAX_JSON_DEPTH) -> None:
    """ValueError when brackets outside strings nest deeper than ``limit``: checked before
    parsing (strings blanked, then the brackets counted — linear, in the regex engine), so the
    parser never recurses that deep."""
    depth = 0
    for bracket in _BRACKETS.findall(_STRING.sub("", text)):
        if bracket in "[{":
            depth += 1
            if depth > limit:
                raise ValueError(f"JSON nested deeper than {limit} levels")
        else:
            depth -= 1


def parse_json(raw: bytes | str) -> Any:
    """The JSON value of ``raw``, strings cleaned of lone surrogates; ValueError otherwise."""
    text = decode_line(raw) if isinstance(raw, bytes) else raw
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH:  # else it cannot nest that deep
        check_depth(text)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} at character {exc.pos}") from None
    except RecursionError:  # belt and braces: check_depth should have refused it
        raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels") from None
    if _SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text):
        return clean(value)
    return value


def clean(value: Any) -> Any:
    """``value`` with lone surrogates replaced in every string and key (depth already bounded)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(k): clean(v) for k, v in value.items()}
    return value
