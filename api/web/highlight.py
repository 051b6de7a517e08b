"""Render store highlights safely, and mark search terms in a whole text.

The store contract says snippets are HTML-escaped apart from ``<mark>`` tags. The page
does not rely on it: each piece between marks is unescaped and escaped again, so a
backend that forgot to escape cannot inject markup, and one that did is shown unchanged.
"""

from __future__ import annotations

import html
import re
import unicodedata

from markupsafe import Markup, escape

_MARK = re.compile(r"(</?mark>)")


def safe_snippet(snippet: str) -> Markup:
    out: list[str] = []
    depth = 0
    for piece in _MARK.split(snippet):
        if piece == "<mark>":
            depth += 1
            out.append("<mark>")
        elif piece == "</mark>":
            if depth:
                depth -= 1
                out.append("</mark>")
        else:
            out.append(str(escape(html.unescape(piece))))
    out.extend("</mark>" for _ in range(depth))  # close what a truncated snippet left open
    return Markup("".join(out))


def mark_terms(text: str, terms: list[str]) -> Markup:
    """``text`` escaped, each occurrence of a search term wrapped in ``<mark>``.

    For the full text of one notice, where the store's snippets (windows around the first
    matches) would hide the rest. Matching ignores case and full/half width, as the
    search does; longer terms win where two overlap.
    """
    wanted = sorted({unicodedata.normalize("NFKC", t).lower() for t in terms if t.strip()}, key=len, reverse=True)
    if not wanted:
        return escape(text)
    # NFKC can change a string's length (full-width ｉ stays one character, but ligatures
    # do not), so match on a per-character normalised copy that keeps the positions.
    folded = "".join(unicodedata.normalize("NFKC", c).lower()[:1] or c for c in text)
    pattern = re.compile("|".join(re.escape(t) for t in wanted))
    out, at = [], 0
    for found in pattern.finditer(folded):
        out.append(str(escape(text[at:found.start()])))
        out.append(f"<mark>{escape(text[found.start():found.end()])}</mark>")
        at = found.end()
    out.append(str(escape(text[at:])))
    return Markup("".join(out))
