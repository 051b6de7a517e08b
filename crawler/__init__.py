"""Scrapy project: spiders parse and yield items; pipelines analyse and store them."""
