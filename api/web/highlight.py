"""Render store highlights safely.

The store contract says snippets are HTML-escaped apart from ``<mark>`` tags. The page
does not rely on it: each piece between marks is unescaped and escaped again, so a
backend that forgot to escape cannot inject markup, and one that did is shown unchanged.
"""

from __future__ import annotations

import html
import re

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
