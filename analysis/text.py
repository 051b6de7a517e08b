"""Text normalisation and splitting shared by every analysis stage.

Every rule in ``analysis/`` is written in simplified Chinese with half-width digits, so
each stage first calls :func:`normalise`: traditional characters (Hong Kong/Taiwan
commenters, some reposted notices) become simplified through OpenCC, and full-width
digits and Latin letters (``２０２４年``, ``ＡＰＰ``) become half-width, and the pinyin
glosses some reposting sites put after characters (``長(zhǎng)興``, ``發(fā)布``) are
dropped, so that ``“李家巷發(fā)布”公眾號(hào)`` reads as ``“李家巷发布”公众号``. Chinese
punctuation is kept: quotes such as 《》 “” 「」 carry account names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Full-width ASCII block (！ to ～) minus the punctuation rules rely on: keep ，；：（）！？
# as they are so that clause splitting sees one alphabet of separators.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF5F)
              if not (0xFF1A <= cp <= 0xFF1B)}  # digits, letters and a few symbols
_FULLWIDTH[0x3000] = 0x20  # ideographic space
# A pinyin gloss right after a Chinese character: lower-case letters, at least one of them
# with a tone mark (plain letters in brackets are text: "(app)", "(a)").
_PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹ]{1,7}\)")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str | None) -> str:
    """Simplified characters, half-width digits/letters, no carriage returns."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_FULLWIDTH)
    return _converter().convert(_PINYIN_GLOSS.sub("", text))


def reset_caches() -> None:
    _converter.cache_clear()


# A sentence ends at 。！？； or a line break; list items ("1. …", "（一）…") start lines.
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_CLAUSE_END = re.compile(r"[，,、：:]")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the normalised document


def sentences(text: str) -> list[Sentence]:
    """Sentences with their offsets; empty pieces dropped."""
    out: list[Sentence] = []
    pos = 0
    for piece in _SENTENCE_END.split(text):
        if piece is None:
            continue
        idx = text.find(piece, pos)
        if idx < 0:
            idx = pos
        pos = idx + len(piece)
        stripped = piece.strip()
        if stripped:
            out.append(Sentence(stripped, idx + piece.index(stripped[0])))
    return out


def clauses(text: str) -> list[str]:
    """Comma-level pieces of one sentence."""
    return [c for c in (p.strip() for p in re.split(r"[，,；;。！？!?\n]", text)) if c]
