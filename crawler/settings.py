"""Scrapy settings: short and polite by default.

yuqing's own settings (store URL, thresholds, cookies) live in ``core.config.Settings``;
``yuqing crawl`` puts that object on the crawler as ``YUQING_SETTINGS``, and components
read it in ``from_crawler`` (a plain ``scrapy crawl`` reads it from ``YUQING_*`` env vars).
"""

BOT_NAME = "yuqing"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves; government sites publish contact pages, so do we.
USER_AGENT = "yuqing/0.1 (+https://github.com/yuqing-project/yuqing; public-opinion research crawler)"
ROBOTSTXT_OBEY = True

# Politeness: a government web server is often a single small machine.
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30

# 5xx and timeouts are retried with exponential backoff (crawler/middlewares.py); 418/432
# are blocks, not glitches: the spiders stop that thread and report it, never retry it.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

COOKIES_ENABLED = False  # the Weibo cookie, when set, is added explicitly and never logged
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no control server beside a crawl: a scheduled job needs none
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # Below retries and redirects, so it sees each request's final answer (crawler/incremental.py).
    "crawler.incremental.ConditionalRequestMiddleware": 540,
}

# Re-crawls fetch only what changed (crawler/incremental.py); `yuqing crawl gov --full` turns it off.
SPIDER_MIDDLEWARES = {
    "crawler.incremental.IncrementalListMiddleware": 600,
    # Next to the spider (its output as yielded, before the incremental filter): records and items per source.
    "crawler.source_stats.SourceStatsMiddleware": 960,
    # Posts and comments analysed a response at a time (one call of each model, not one per item).
    "crawler.analysis_batches.AnalyseBatchMiddleware": 100,
}

ITEM_PIPELINES = {
    "crawler.pipelines.ValidatePipeline": 100,
    "crawler.pipelines.AnalysePipeline": 300,
    "crawler.pipelines.SubjectPlacePipeline": 400,
    "crawler.pipelines.HistoryPipeline": 500,  # earlier versions of a re-fetched notice
    "crawler.pipelines.CoveragePipeline": 700,
    "crawler.pipelines.StorePipeline": 800,
}

EXTENSIONS = {
    "crawler.progress.ProgressReporter": 500,
    "crawler.runs.CrawlRunRecorder": 600,  # the crawl_run document; shares the crawl's storage
    "crawler.alerting.AlertEvaluator": 700,  # after the run's documents are written (crawler/alerting.py)
}
