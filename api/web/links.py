"""Which stored URLs the page may turn into links.

A document's ``url`` comes from the crawled web (or a loaded file): ``javascript:``,
``data:`` or ``vbscript:`` there would run or render in the reader's browser when clicked.
Only absolute http(s) URLs become ``href``; anything else is shown as text.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LINKABLE_SCHEMES = frozenset({"http", "https"})


def web_link(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    # Browsers drop tabs and newlines inside a scheme ("java\tscript:"), so judge what they would see.
    cleaned = "".join(ch for ch in candidate if ch not in "\t\n\r")
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in LINKABLE_SCHEMES or not parts.netloc:
        return None
    return cleaned
