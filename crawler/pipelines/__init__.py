"""Item pipelines, in the order ``crawler/settings.py`` runs them:

validate → analyse → settle subject places → announcement history → thread coverage → store.

Thin classes: each takes plain values in ``__init__`` and reads settings only in
``from_crawler``. Items stay items end to end: the spiders' items (``crawler/items.py``)
until analysis, then the document dataclasses of ``core/schema.py``. The store is opened
once per crawl (``crawler/storage.py``); no pipeline owns a database client, and the crawl
run's record is kept by an extension (``crawler/runs.py``).
"""

from crawler.pipelines.analyse import AnalysePipeline
from crawler.pipelines.coverage import CoveragePipeline
from crawler.pipelines.history import HistoryPipeline
from crawler.pipelines.places import SubjectPlacePipeline
from crawler.pipelines.store import StorePipeline
from crawler.pipelines.validate import ValidatePipeline

__all__ = ["ValidatePipeline", "AnalysePipeline", "SubjectPlacePipeline", "HistoryPipeline", "CoveragePipeline", "StorePipeline"]
