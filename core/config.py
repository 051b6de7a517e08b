"""The one settings object.

Every setting is declared once, with a default and a help text (the ``description``),
read from ``YUQING_*`` environment variables (or a ``.env`` file), and passed explicitly
into the crawler, the store and ``create_app(settings)``. Nothing reads it at import time.
``tests/unit/test_config.py`` fails when the README does not document a setting.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.limits import DEFAULT_QUERY_TIMEOUT_MS, MAX_PAGE_SIZE
from core.salt import MIN_SALT_CHARS, installation_salt
from core.vocabulary import SENTIMENT_NEGATIVE_AT, SENTIMENT_POSITIVE_AT

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORE = "sqlite:///data/yuqing.db"

DEFAULT_SALT_FILE = Path("data/.author_salt")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YUQING_", env_file=".env", extra="ignore")

    store: str = Field(
        DEFAULT_STORE,
        description="Where documents live: sqlite:///path.db (embedded) or http(s)://host:9200 (Elasticsearch).",
    )
    es_username: str | None = Field(None, description="Elasticsearch user name (never logged).")
    es_password: SecretStr | None = Field(None, description="Elasticsearch password (never logged).")
    es_index_prefix: str = Field("yuqing", description="Prefix of Elasticsearch index and alias names.")
    spill_dir: Path = Field(
        Path("data/unsaved"),
        description="Where a crawl writes the documents the store could not take (store down); "
        "load them later with `yuqing index load FILE`.",
    )
    host: str = Field("127.0.0.1", description="Address `yuqing serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `yuqing serve` listens on.")
    workers: int = Field(1, ge=1, le=32, description="Processes `yuqing serve` answers with; each opens the "
                         "store itself. More than one lets concurrent requests use more than one core.")
    author_salt: SecretStr | None = Field(
        None,
        description="Secret key for pseudonymising authors (HMAC of platform + user id); default: the "
        "installation's own, generated into YUQING_AUTHOR_SALT_FILE on first use.",
    )
    author_salt_file: Path = Field(
        DEFAULT_SALT_FILE,
        description="Where the installation's random author salt is kept (created owner-only on first use) "
        "when YUQING_AUTHOR_SALT is not set.",
    )
    sentiment_positive: float = Field(
        SENTIMENT_POSITIVE_AT, ge=0, le=1, description="Sentiment score at or above which a text is labelled positive."
    )
    sentiment_negative: float = Field(
        SENTIMENT_NEGATIVE_AT, ge=0, le=1, description="Sentiment score at or below which a text is labelled negative."
    )
    sentiment_model: Path | None = Field(
        None, description="Directory of a retrained sentiment model (`yuqing sentiment train`); default: snownlp's."
    )
    stance_model: Path | None = Field(
        None, description="Directory of a trained stance model (`yuqing stance train`); default: the shipped closure model."
    )
    themes_model: Path | None = Field(
        None, description="Directory of a trained comment-themes model (`yuqing themes train`), added to the "
        "taxonomy's rules for posts and comments; default: the shipped model."
    )
    themes_file: Path | None = Field(None, description="Theme taxonomy YAML; default: analysis/themes.yaml.")
    sources_file: Path | None = Field(None, description="Crawl sources YAML; default: crawler/sources.yaml.")
    weibo_base_url: str = Field("https://m.weibo.cn", description="Host answering Weibo's mobile JSON endpoints.")
    weibo_cookie: SecretStr | None = Field(None, description="Optional Weibo cookie (never logged).")
    download_delay: float = Field(0.5, ge=0, description="Seconds between requests to one site (politeness).")
    concurrent_requests_per_domain: int = Field(4, ge=1, description="Parallel requests to one site.")
    obey_robots: bool = Field(True, description="Honour robots.txt.")
    max_page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE, description="Largest `size` an API list request may ask for.")
    query_timeout_ms: int = Field(DEFAULT_QUERY_TIMEOUT_MS, ge=100, description="A store query taking longer than this is stopped.")
    response_cache_entries: int = Field(256, ge=0, description="Summary answers each API process keeps until the "
                                        "store changes (0: none kept).")
    log_level: str = Field("INFO", description="Log level of the crawler and the API.")
    incremental: bool = Field(True, description="Re-crawls fetch only what changed: known notices are asked for "
                              "conditionally (ETag / Last-Modified) and a list walk stops at known notices "
                              "(`yuqing crawl gov --full` turns it off for one run).")
    recheck_depth: int = Field(1, ge=1, description="List pages in a row holding only known notices before a "
                               "re-crawl stops walking a notice list.")
    refresh_hours: float = Field(24.0, ge=0, description="A known notice page that sends no ETag / Last-Modified "
                                 "is fetched again after this many hours.")
    takedown_confirmations: int = Field(2, ge=1, description="Runs in a row that must find a stored notice gone "
                                        "(404/410, redirected home, off its list) before it is marked taken_down.")
    alerts: bool = Field(True, description="Evaluate the alert rules after each crawl run (`GET /alerts`).")
    alert_spike_factor: float = Field(3.0, gt=1, description="comment_spike: a city's comments on a day above this "
                                      "many times the trailing median.")
    alert_window_days: int = Field(14, ge=1, description="Days before a day that its spike or share jump is held "
                                   "against.")
    alert_min_count: int = Field(20, ge=1, description="Fewest comments on a city's day for a spike or share jump.")
    alert_share_jump: float = Field(0.25, gt=0, le=1, description="negative_jump / oppose_jump: rise of a city's "
                                    "negative or opposing share over the window's share (0.25 = 25 points).")
    alert_watched_cities: list[str] = Field(default_factory=list, description="watched_closure: cities whose new "
                                            "closure notices raise an alert, as a JSON list, e.g. [\"昆明市\"].")
    alert_webhook_url: SecretStr | None = Field(None, description="URL each new alert is POSTed to as JSON "
                                                "(retried; never logged, it may hold a token).")
    alert_webhook_retries: int = Field(3, ge=0, description="Retries of a webhook POST that failed, with "
                                       "exponential backoff.")
    jobs_file: Path | None = Field(None, description="Crawl jobs YAML of `yuqing schedule`; default: yuqing/jobs.yaml.")

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> "Settings":
        if self.sentiment_negative >= self.sentiment_positive:
            raise ValueError("YUQING_SENTIMENT_NEGATIVE must be below YUQING_SENTIMENT_POSITIVE")
        return self

    def with_options(self, **given: object) -> "Settings":
        """These settings with the command-line options the user gave (None = not given)."""
        updates = {k: v for k, v in given.items() if v is not None}
        return self.model_copy(update=updates) if updates else self

    def store_options(self) -> dict[str, Any]:
        """The plain values ``store.open_store`` takes (a backend uses those it understands)."""
        password = self.es_password.get_secret_value() if self.es_password is not None else None
        return {"query_timeout_ms": self.query_timeout_ms, "username": self.es_username, "password": password,
                "index_prefix": self.es_index_prefix}

    def author_key(self) -> str:
        """The key authors are hashed with: YUQING_AUTHOR_SALT, else the installation's own
        (``core/salt.py``; generated on first use). Never logged."""
        if self.author_salt is not None:
            salt = self.author_salt.get_secret_value()
            if len(salt) < MIN_SALT_CHARS:
                raise ValueError(f"YUQING_AUTHOR_SALT is shorter than {MIN_SALT_CHARS} characters: not a secret")
            return salt
        return installation_salt(self.author_salt_file)
