"""Pages whose HTTP header names the wrong charset.

A common misconfiguration of Chinese government servers: nginx or a CDN in front of an old
site adds ``Content-Type: text/html; charset=utf-8`` while the pages are GBK and say so in
their own ``<meta>``. Scrapy (rightly, by the HTML standard) believes the header, and every
Chinese character comes out as U+FFFD (or, with a Latin-1 header, as Western gibberish).
When the decoded text is full of replacement characters, or a Western charset was applied
to a page whose ``<meta>`` names another, the page is decoded again with the charset its ``<meta>`` declares, then with
GB18030 (the superset of GB2312 and GBK that the older sites use), and the first decoding
without errors wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from w3lib.encoding import html_body_declared_encoding, resolve_encoding

# A UTF-8 page may hold a stray broken byte or two (a truncated upload, a bad copy-paste);
# a mis-declared GBK page yields one replacement per Chinese character, hundreds per page.
# Five keeps the first case as it is and catches the second on any notice.
MOJIBAKE_MIN_REPLACEMENTS = 5
FALLBACK_ENCODINGS = ("gb18030",)
# What a misconfigured server makes of a page: w3lib resolves latin-1, iso-8859-1, ascii and
# windows-1252 alike to cp1252 (as browsers do).
SINGLE_BYTE_WESTERN = frozenset({"cp1252"})
# GB2312 and GBK pages are decoded as GB18030, their superset, as browsers do (the Encoding
# Standard's GBK decoder is GB18030's). w3lib did so itself until 2.6, which resolves gbk to gbk.
GB_FAMILY = frozenset({"gbk", "gb2312", "cp936"})


def _codec(name: str | None) -> str | None:
    """The codec a charset name decodes with: w3lib's resolution, the GB family as GB18030."""
    codec = resolve_encoding(name) if name else None
    return "gb18030" if codec in GB_FAMILY else codec


@dataclass(frozen=True)
class DecodedPage:
    text: str
    encoding: str
    recoded: bool  # True when the header's charset was wrong and another one was used


def _suspicious(body: bytes, text: str, encoding: str) -> bool:
    if text.count("\ufffd") >= MOJIBAKE_MIN_REPLACEMENTS:
        return True
    # A single-byte Western charset never fails to decode, so it shows no replacement
    # characters; it is wrong when the page has non-ASCII bytes and its <meta> says otherwise.
    if resolve_encoding(encoding) in SINGLE_BYTE_WESTERN and any(b > 0x7F for b in body):
        declared = html_body_declared_encoding(body)
        return bool(declared) and resolve_encoding(declared) not in SINGLE_BYTE_WESTERN
    return False


def decode_page(body: bytes, text: str, encoding: str) -> DecodedPage:
    """``text`` (``body`` decoded as ``encoding``), or a better decoding of ``body``."""
    if not _suspicious(body, text, encoding):
        return DecodedPage(text, encoding, False)
    candidates = [_codec(html_body_declared_encoding(body)), *FALLBACK_ENCODINGS]
    used = resolve_encoding(encoding) or encoding  # what the text was decoded with (gbk, with w3lib 2.6)
    for candidate in candidates:
        if not candidate or candidate == used:
            continue
        try:
            return DecodedPage(body.decode(candidate), candidate, True)
        except (UnicodeDecodeError, LookupError):
            continue
    return DecodedPage(text, encoding, False)
