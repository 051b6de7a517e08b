"""The values a filter can take, where a vocabulary exists: an unknown one is a 422 that
lists them, not a silent empty answer (``platform=myspace`` used to give 200 and 0 results).

Cities, provinces, issuers and ids have no closed list here (the place gazetteer is open
ended), so they are not checked; an unmatched city simply finds nothing.
"""

from __future__ import annotations

from analysis.themes import TaxonomyError, load_taxonomy
from core.config import Settings
from core.vocabulary import CRAWL_STATUSES, PLATFORM_IDS, SOURCE_PLATFORMS, SPIDERS

# Platforms per kind: notices and accounts name government platforms; posts and comments
# come from a source.
_PLATFORMS = {"announcement": PLATFORM_IDS, "account": PLATFORM_IDS,
              "post": SOURCE_PLATFORMS, "comment": SOURCE_PLATFORMS}


def theme_ids(settings: Settings) -> tuple[str, ...]:
    try:
        return tuple(t.id for t in load_taxonomy(settings.themes_file).themes)
    except TaxonomyError:
        return ()  # a broken taxonomy is reported where labels are made; do not refuse every query here


def allowed_values(parameter: str, kind: str, settings: Settings) -> tuple[str, ...] | None:
    """The values ``parameter`` may take for ``kind``, or None when it has no closed vocabulary."""
    if parameter == "platform":
        return _PLATFORMS.get(kind)
    if parameter == "theme":
        return theme_ids(settings) or None
    if parameter == "status" and kind == "crawl_run":
        return CRAWL_STATUSES
    if parameter == "spider" and kind == "crawl_run":
        return SPIDERS
    return None
