"""The store interface: the questions users ask, not either engine's vocabulary.

Two backends implement it (``store/sqlite.py``, ``store/elastic.py``) and one contract
suite (``tests/contract/``) holds both to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Literal, Mapping, Protocol, runtime_checkable

from core.schema import KINDS, Kind

GroupBy = Literal["city", "province", "theme", "platform", "author_region", "action", "stance", "sentiment_label"]
Interval = Literal["day", "week", "month"]


@dataclass
class Query:
    """A search: free text, exact filters, a date range, a page.

    ``q`` is the user's search string: space-separated terms must all match (AND),
    ``"quoted phrases"`` match as written, ``OR`` between terms and a leading ``-`` to
    exclude are supported. A string the backend cannot parse raises QuerySyntaxError.
    ``filters`` maps a field of ``schema.FILTER_FIELDS[kind]`` to a value (or a list of
    values, any of which matches); list fields such as ``themes`` match by containment.
    ``date_from``/``date_to`` are inclusive ISO dates on ``schema.DATE_FIELD[kind]``.
    Paging: ``page``/``size`` for the first 10,000 hits; ``cursor`` (from ``Page.next_cursor``)
    for deep paging past that.
    """

    q: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    page: int = 1
    size: int = 20
    cursor: str | None = None
    sort: Literal["relevance", "date_desc", "date_asc"] = "relevance"
    highlight: bool = True


@dataclass
class Hit:
    doc: dict
    score: float | None = None
    # field name -> snippets with matches wrapped in <mark>…</mark>, text otherwise HTML-escaped
    highlights: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Page:
    total: int
    hits: list[Hit]
    next_cursor: str | None = None


@dataclass
class Group:
    """One row of a summary: a city, a theme, a platform…"""

    key: str
    count: int
    sentiment_mean: float | None = None
    labels: dict[str, int] = field(default_factory=dict)  # positive/neutral/negative -> count
    stances: dict[str, int] = field(default_factory=dict)  # support/oppose/neutral -> count
    top: list[tuple[str, int]] = field(default_factory=list)  # top themes of a city, top cities of a theme
    # Distinct non-null ``author_hash`` among the group's documents (distinct voices, not
    # comments); None for kinds that have no author (announcements, accounts). Exact on
    # SQLite; on Elasticsearch a ``cardinality`` aggregation, exact below its precision
    # threshold (``elastic_aggs.AUTHOR_PRECISION``) and approximate above it.
    authors: int | None = None


@dataclass
class Bucket:
    start: str  # ISO date of the bucket's first day
    count: int
    sentiment_mean: float | None = None
    labels: dict[str, int] = field(default_factory=dict)


@dataclass
class UpsertReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0  # observed before the stored version, so not written (store/documents.is_stale)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (doc id, reason)

    def merge(self, other: "UpsertReport") -> "UpsertReport":
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.stale += other.stale
        self.errors.extend(other.errors)
        return self


@dataclass
class Health:
    ok: bool
    backend: str
    detail: str = ""
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class MigrationStep:
    """What ``migrate`` did for one kind."""

    kind: str
    action: Literal["created", "unchanged", "reindexed"]
    index: str  # the index (Elasticsearch) or file (SQLite) that holds the kind now
    previous: str | None = None
    documents: int = 0
    deleted_previous: bool = False


@runtime_checkable
class Store(Protocol):
    backend: str

    def upsert(self, kind: Kind, docs: Iterable[Mapping[str, Any]]) -> UpsertReport:
        """Insert or replace documents by ``id``. A re-sent identical doc counts as unchanged."""

    def get(self, kind: Kind, doc_id: str) -> dict | None: ...

    def search(self, kind: Kind, query: Query) -> Page: ...

    def count(self, kind: Kind, query: Query | None = None) -> int: ...

    def summarize(self, kind: Kind, by: GroupBy, query: Query | None = None, top: int = 5) -> list[Group]:
        """Groups ordered by count desc, then key. For ``by="city"`` each group's ``top`` is its
        most frequent themes; for ``by="theme"`` its most frequent cities. Documents without
        the field are left out. List fields (themes) count a document once per value."""

    def authors(self, kind: Kind, query: Query | None = None) -> int | None:
        """Distinct non-null ``author_hash`` among the matching documents (distinct voices);
        None for kinds without authors. Exact or estimated as ``Group.authors`` is."""

    def timeline(self, kind: Kind, interval: Interval, query: Query | None = None) -> list[Bucket]: ...

    def prepare_overview(self, kind: Kind, query: Query, top: int = 5) -> None:
        """A hint: ``summarize`` by city and by theme (with ``top``) and ``timeline`` of
        ``query`` follow (the search page). A store that answers them more cheaply together
        does so now and keeps the answers; the answers are the same either way."""

    def iterate(self, kind: Kind, query: Query | None = None, batch_size: int = 500) -> Iterator[dict]:
        """Every matching document, in id order, without loading them all at once."""

    def delete(self, kind: Kind, doc_ids: Iterable[str]) -> int: ...

    def health(self) -> Health: ...

    def data_version(self) -> int | None:
        """A number that differs from the last call's once anything was written to the store
        since, by this process or another; None when the backend cannot tell cheaply. What
        the API keeps answers under (``api/response_cache.py``)."""

    def migrate(self, kinds: Iterable[Kind] = KINDS, delete_previous: bool = False) -> list[MigrationStep]:
        """Bring the storage of ``kinds`` to the current schema (``yuqing index migrate``); a
        step per kind says what was done. "unchanged" where there was nothing to do."""

    def close(self) -> None: ...
