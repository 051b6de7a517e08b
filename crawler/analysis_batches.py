"""Posts and comments analysed a response at a time, before the item pipelines.

The trained stance and themes models cost a few milliseconds per call whatever the batch
(scikit-learn's checks and feature pipelines), so analysing each comment on its own held a
Weibo crawl's analysis to ~200 comments/s; a comment page's 20-50 comments in one call of
each model analyse ~1,000/s (``bench/crawl.py``). The middleware gathers the posts and
comments a callback yields between two requests (or up to ``MAX_BATCH``), analyses them
together (``analysis.enrich.enrich_many``, grouped by kind and subject-city hint) and
leaves each one's document on the item; ``AnalysePipeline`` passes it on. An item without
one (a batch that failed, a crawl without this middleware) is analysed alone there, so
nothing depends on this but speed.

It runs only when an ``AnalysePipeline`` is among the item pipelines: a crawl with the
pipelines switched off (``-s ITEM_PIPELINES={}``) fetches and parses only.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

from analysis.enrich import AnalysisOptions, enrich_many
from analysis.labelling import group_by
from core.schema import to_document
from crawler.items import CommentItem, PostItem
from crawler.pipelines.analyse import AnalysePipeline, commentary_input, mark_analysed
from crawler.project import yuqing_settings

logger = logging.getLogger(__name__)

# Items held back at most: a page of comments is 20-50; a callback yielding thousands
# without a request between them is still analysed in batches of this size.
MAX_BATCH = 200


class AnalyseBatchMiddleware:
    def __init__(self, options: AnalysisOptions):
        self.options = options

    @classmethod
    def from_crawler(cls, crawler):
        enabled = [load_object(path) for path, order in crawler.settings.getwithbase("ITEM_PIPELINES").items()
                   if order is not None]
        if not any(isinstance(pipeline, type) and issubclass(pipeline, AnalysePipeline) for pipeline in enabled):
            raise NotConfigured("no AnalysePipeline among the item pipelines")
        return cls(AnalysisOptions.from_settings(yuqing_settings(crawler)))

    def analyse(self, items: list) -> None:
        """Leave each item's analysed document on it; on a failure, leave them all for the
        pipeline (which analyses each alone and names the one that fails)."""
        try:
            inputs = [(item, *commentary_input(item)) for item in items]
            for (kind, hint), group in group_by(inputs, lambda entry: (entry[1], entry[3])):
                labelled = enrich_many(kind, [doc for _, _, doc, _ in group], self.options, subject_city=hint)
                for (item, *_), document in zip(group, labelled):
                    mark_analysed(item, to_document(kind, document))
        except Exception:  # noqa: BLE001 — the pipeline analyses them one by one instead
            logger.exception("analysing %d posts and comments together failed; analysing each alone", len(items))

    async def process_spider_output(self, response, result, spider=None):
        waiting: list = []
        async for out in result:
            if isinstance(out, (PostItem, CommentItem)):
                waiting.append(out)
                if len(waiting) < MAX_BATCH:
                    continue
            if waiting:
                self.analyse(waiting)
                for item in waiting:
                    yield item
                waiting = []
            if not isinstance(out, (PostItem, CommentItem)):
                yield out
        if waiting:
            self.analyse(waiting)
            for item in waiting:
                yield item
