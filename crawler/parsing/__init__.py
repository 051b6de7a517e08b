"""Pure parsing helpers for the commentary spiders: text, times, places and ids.

Nothing here does I/O or knows about Scrapy: each function takes what a page or a JSON
answer gave and returns plain values, so the rules are tested field by field
(``tests/unit/crawler/test_weibo_*.py``, ``tests/unit/crawler/test_news_*.py``).
"""
