"""Spiders: gov (closure announcements), weibo and news (commentary)."""
