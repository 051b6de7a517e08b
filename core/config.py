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
    themes_file: Path | None = Field(None, description="Theme taxonomy YAML; default: analysis/themes.yaml.")
    sources_file: Path | None = Field(None, description="Crawl sources YAML; default: crawler/sources.yaml.")
    weibo_base_url: str = Field("https://m.weibo.cn", description="Host answering Weibo's mobile JSON endpoints.")
    weibo_cookie: SecretStr | None = Field(None, description="Optional Weibo cookie (never logged).")
    download_delay: float = Field(0.5, ge=0, description="Seconds between requests to one site (politeness).")
    concurrent_requests_per_domain: int = Field(4, ge=1, description="Parallel requests to one site.")
    obey_robots: bool = Field(True, description="Honour robots.txt.")
    max_page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE, description="Largest `size` an API list request may ask for.")
    query_timeout_ms: int = Field(DEFAULT_QUERY_TIMEOUT_MS, ge=100, description="A store query taking longer than this is stopped.")
    log_level: str = Field("INFO", description="Log level of the crawler and the API.")

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
