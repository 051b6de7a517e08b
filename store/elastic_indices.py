"""Index lifecycle: templates, versioned indices behind aliases, migrations without an outage.

Reads and writes always name the alias (``yuqing-announcement``); the alias points at one
concrete index (``yuqing-announcement-v3``) whose ``_meta`` records the hash of the
mapping it was built with. ``migrate`` compares that hash with ``store/elastic_mappings``:

1. upgrade the index template (always; it only affects indices created later);
2. no index yet → create ``v1`` with the alias;
3. same hash → nothing to do;
4. different hash → create ``v{N+1}`` from the new template, ``_reindex`` the live index
   into it, then move the alias in ONE ``_aliases`` call (remove old + add new), which the
   cluster applies atomically: every search before it sees the old index, every search
   after it the new one, none sees no index.

Writes that reach the old index while step 4 copies are not carried over; run
``yuqing index migrate`` while crawls are paused (docs/elasticsearch.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from elasticsearch import ApiError, Elasticsearch, NotFoundError

from store import elastic_mappings as m
from store.base import MigrationStep
from store.errors import StoreError

logger = logging.getLogger(__name__)

# A reindex of a few million documents takes minutes; the client's default 10 s timeout
# would abandon the request while the cluster keeps copying.
REINDEX_TIMEOUT_S = 3600
# Failures listed in a failed migration's message; the rest are counted.
MAX_REPORTED_FAILURES = 5


class IndexManager:
    """Creates and upgrades one prefix's indices; takes a client, opens nothing itself."""

    def __init__(self, es: Elasticsearch, prefix: str, analyzer: str = m.DEFAULT_ANALYZER):
        if analyzer not in m.ANALYZERS:
            raise ValueError(f"unknown analyzer {analyzer!r}; one of: {', '.join(m.ANALYZERS)}")
        self.es = es
        self.prefix = prefix
        self.analyzer = analyzer

    def alias(self, kind: str) -> str:
        return m.alias_name(self.prefix, kind)

    def put_template(self, kind: str) -> None:
        body = m.template(self.prefix, kind, self.analyzer)
        self.es.indices.put_index_template(name=self.alias(kind), **body)

    def live_indices(self, kind: str) -> list[str]:
        """Concrete indices behind the kind's alias (normally one)."""
        try:
            return sorted(self.es.indices.get_alias(name=self.alias(kind)))
        except NotFoundError:
            return []

    def versions(self, kind: str) -> dict[str, dict[str, Any]]:
        """Every ``{alias}-v{N}`` index with its mapping, aliased or not."""
        found = self.es.indices.get_mapping(index=f"{self.alias(kind)}-v*", allow_no_indices=True,
                                            ignore_unavailable=True)
        return {name: body.get("mappings", {}) for name, body in dict(found).items()
                if m.index_version(self.prefix, kind, name) is not None}

    @staticmethod
    def stored_hash(mapping: dict[str, Any]) -> str | None:
        return ((mapping.get("_meta") or {}).get("yuqing") or {}).get("mapping_hash")

    def _next_index(self, kind: str) -> str:
        taken = [m.index_version(self.prefix, kind, name) or 0 for name in self.versions(kind)]
        return m.index_name(self.prefix, kind, max(taken, default=0) + 1)

    def _create_aliased(self, kind: str) -> str:
        self.put_template(kind)
        index = self._next_index(kind)
        # The template supplies settings and mappings; the alias is attached at creation so
        # that the kind never exists without it.
        self.es.indices.create(index=index, aliases={self.alias(kind): {"is_write_index": True}})
        logger.info("created %s behind alias %s", index, self.alias(kind))
        return index

    def ensure(self, kind: str) -> None:
        """Make the kind usable: create template, first index and alias when missing.

        A stale mapping is only logged here: upgrading it is ``migrate``'s deliberate job,
        not something a search should start.
        """
        live = self.live_indices(kind)
        if not live and self.es.indices.exists(index=self.alias(kind)):
            # The name exists but was no alias a moment ago: a plain index, or the alias another
            # process (two crawlers starting on one store) created in between, as good as ours.
            live = self.live_indices(kind)
            if not live:
                raise StoreError(
                    f"{self.alias(kind)!r} is a plain index, not yuqing's alias; rename or delete it, "
                    "then run `yuqing index migrate`"
                )
        if not live:
            try:
                self._create_aliased(kind)
            except Exception:
                # Another process (the API and a crawler start together) may have won the
                # race; its alias is as good as ours.
                if not self.live_indices(kind):
                    raise
            return
        mapping = self.versions(kind).get(live[0], {})
        if self.stored_hash(mapping) != m.mapping_hash(kind, self.analyzer):
            logger.warning("%s was built with another mapping; run `yuqing index migrate` to upgrade it", live[0])

    def migrate(self, kind: str, delete_previous: bool = False) -> MigrationStep:
        self.put_template(kind)
        live = self.live_indices(kind)
        if not live:
            return MigrationStep(kind, "created", self._create_aliased(kind))
        if len(live) > 1:
            raise StoreError(f"alias {self.alias(kind)!r} points at several indices ({', '.join(live)}); "
                             "point it at one before migrating")
        old = live[0]
        versions = self.versions(kind)
        if self.stored_hash(versions.get(old, {})) == m.mapping_hash(kind, self.analyzer):
            return MigrationStep(kind, "unchanged", old)
        new = self._next_index(kind)
        self.es.indices.create(index=new)
        copied = self._reindex(old, new)
        self.es.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": self.alias(kind)}},
            {"add": {"index": new, "alias": self.alias(kind), "is_write_index": True}},
        ])
        logger.info("alias %s moved from %s to %s (%d documents)", self.alias(kind), old, new, copied)
        if delete_previous:
            self.es.indices.delete(index=old)
        return MigrationStep(kind, "reindexed", new, previous=old, documents=copied,
                             deleted_previous=delete_previous)

    def _reindex(self, source: str, dest: str) -> int:
        try:
            result = dict(self.es.options(request_timeout=REINDEX_TIMEOUT_S).reindex(
                source={"index": source}, dest={"index": dest}, refresh=True, wait_for_completion=True,
            ))
        except ApiError as exc:
            # A reindex whose documents were refused answers with the status of the worst
            # failure (400 for a document that does not fit the new mapping) and the usual
            # body, failures included; anything else is a real error.
            if not (isinstance(exc.body, dict) and exc.body.get("failures")):
                self.es.indices.delete(index=dest, ignore_unavailable=True)
                raise
            result = exc.body
        failures = result.get("failures") or []
        if failures:
            # Leave the live index and alias untouched; drop the half-built copy.
            self.es.indices.delete(index=dest)
            reasons = [f"{f.get('id', '?')}: {(f.get('cause') or {}).get('reason', f)}"
                       for f in failures[:MAX_REPORTED_FAILURES]]
            raise StoreError(f"reindex {source} → {dest} failed for {len(failures)} document(s); "
                             f"alias unchanged. First: {'; '.join(reasons)}")
        return int(result.get("created", 0)) + int(result.get("updated", 0))

    def delete_all(self) -> None:
        """Drop every index and template of this prefix (tests, `--reset`)."""
        from core.schema import KINDS

        for kind in KINDS:
            for index in self.versions(kind):
                self.es.indices.delete(index=index, ignore_unavailable=True)
            try:
                self.es.indices.delete_index_template(name=self.alias(kind))
            except NotFoundError:
                pass
