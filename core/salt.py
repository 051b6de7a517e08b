"""The installation's author key: a random secret made on first use, kept owner-only.

Authors are pseudonymised with an HMAC keyed by this secret (``core/schema.pseudonymise``).
A key shipped with the code would let anyone who has the corpus's user ids or screen names
recompute every hash (996 of 996 demo authors were re-identified that way), so there is no
default: each installation — the demo too — generates its own into ``YUQING_AUTHOR_SALT_FILE``
(``data/.author_salt``) unless ``YUQING_AUTHOR_SALT`` gives one. Hashes stay comparable
across crawls of one installation because the file is kept; deleting it starts new pseudonyms.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

logger = logging.getLogger(__name__)

# 32 random bytes: the HMAC-SHA256 key length; guessing it is out of reach.
SALT_BYTES = 32
# A key shorter than this is a typo or a placeholder, not a secret.
MIN_SALT_CHARS = 16


def installation_salt(path: Path) -> str:
    """The salt stored at ``path``, created (mode 0600, owner only) when there is none."""
    path = Path(path)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    salt = secrets.token_hex(SALT_BYTES)
    try:
        # O_EXCL: two processes starting at once (a crawl and `serve`) must not each write their own.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(salt + "\n")
    logger.warning("generated this installation's author salt in %s (owner-only); keep it to keep pseudonyms "
                   "stable, or set YUQING_AUTHOR_SALT", path.resolve())
    return salt


def _read(path: Path) -> str:
    salt = path.read_text(encoding="ascii").strip()
    if len(salt) < MIN_SALT_CHARS:
        raise ValueError(f"the author salt in {path} is shorter than {MIN_SALT_CHARS} characters; "
                         "delete the file to generate a new one")
    return salt
