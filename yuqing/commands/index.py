"""`yuqing index migrate|copy`: keep Elasticsearch's mappings current; move documents between stores.

``migrate`` creates or upgrades the index templates and, where a kind's mapping changed,
reindexes into the next index version and swaps the alias (``store/elastic_indices.py``).
``copy`` reads every document of every kind from one store (``iterate``) and writes it to
another (``upsert`` in batches), so a project that started on SQLite can move to a
cluster, or back, without re-crawling.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from store import redact
from store.base import Store, UpsertReport
from store.errors import StoreError
from core.schema import KINDS
from core.spill import parse_spill_line
from yuqing.commands.batches import batched
from yuqing.settling import settle_places
from core.config import Settings
from yuqing.checks import STORE_HELP, check_store_url, load_settings

index_app = typer.Typer(help="Manage Elasticsearch indices and copy documents between stores.",
                        no_args_is_help=True)

# Documents per upsert when copying or loading: the Elasticsearch backend's bulk chunk size.
COPY_BATCH = 500
# Into SQLite, larger transactions: each commit rewrites the rollup and index pages its batch
# shares, so 10,000 comments went 1.4x to 2.1x faster in batches of 5,000 than of 500, into
# stores of 10k to 1M (`bench/api.py`, three runs); 5,000 documents in memory are a few MB.
SQLITE_COPY_BATCH = 5_000
BATCH_HELP = f"Documents per write (default: {SQLITE_COPY_BATCH:,} into SQLite, {COPY_BATCH} into Elasticsearch)."


def batch_for(target: Store, asked: int | None) -> int:
    """The batch asked for, or the target backend's default."""
    from store.sqlite import SQLiteStore

    return asked or (SQLITE_COPY_BATCH if isinstance(target, SQLiteStore) else COPY_BATCH)


# Errors listed after a copy; the rest are counted.
MAX_LISTED_ERRORS = 10


def _open(url: str, settings: Settings) -> Store:
    """Open a store by URL (a seam: tests swap in a client that speaks to osmem-server)."""
    from store import open_store

    return open_store(url, **settings.store_options())


def _kinds(kind: list[str] | None) -> list[str]:
    chosen = list(kind or KINDS)
    unknown = [k for k in chosen if k not in KINDS]
    if unknown:
        raise typer.BadParameter(f"unknown kind(s) {', '.join(unknown)}; choose from {', '.join(KINDS)}",
                                 param_hint="--kind")
    return chosen


KindOpt = typer.Option(None, "--kind", help=f"Only this kind; repeat for several ({', '.join(KINDS)}). "
                       "Default: all. Example: --kind announcement --kind comment")


@index_app.command("migrate")
def migrate(
    store: str | None = typer.Option(None, "--store", help="Elasticsearch URL (default: $YUQING_STORE). "
                                     "Example: --store http://localhost:9200"),
    kind: list[str] = KindOpt,
    delete_old: bool = typer.Option(False, "--delete-old", help="Delete the previous index version after the "
                                    "alias has moved (default: keep it, so you can move the alias back)."),
) -> None:
    """Create or upgrade index templates; reindex a kind whose mapping changed, then swap its alias.

    Searches keep working throughout: the alias moves from the old index to the new one in one
    atomic step. Pause crawls while it runs: writes to the old index during the copy are not
    carried over. Example: `yuqing index migrate --store http://localhost:9200`.
    """
    settings = load_settings(store=store)
    url = settings.store
    kinds = _kinds(kind)
    target = _open(url, settings)
    try:
        steps = target.migrate(kinds, delete_previous=delete_old)
    except (StoreError, ValueError) as exc:
        typer.echo(f"migrate failed: {exc}", err=True)
        raise typer.Exit(code=1)
    finally:
        target.close()
    table = Table("kind", "action", "index", "previous", "documents")
    for step in steps:
        previous = (step.previous or "") + (" (deleted)" if step.deleted_previous else "")
        table.add_row(step.kind, step.action, step.index, previous, str(step.documents) if step.previous else "")
    Console().print(table)
    if all(step.action == "unchanged" for step in steps):
        typer.echo(f"{redact(url)}: every kind is current, nothing to migrate.")


@dataclass
class KindCopy:
    kind: str
    read: int = 0
    written: UpsertReport = field(default_factory=UpsertReport)
    target_count: int | None = None


def copy_documents(
    source: Store,
    target: Store,
    kinds: list[str],
    batch_size: int = COPY_BATCH,
    on_batch: Callable[[str, int], None] | None = None,
) -> list[KindCopy]:
    """Every document of ``kinds`` from source to target, one batch in memory at a time.

    ``on_batch(kind, n)`` is called after each batch is written (progress bars).
    """
    results = []
    for kind in kinds:
        result = KindCopy(kind)
        for batch in batched(source.iterate(kind, batch_size=batch_size), batch_size):
            result.written.merge(target.upsert(kind, batch))
            result.read += len(batch)
            if on_batch:
                on_batch(kind, len(batch))
        results.append(result)
    refresh = getattr(target, "refresh_indices", None)
    if refresh is not None:
        refresh()  # so the counts below, and the user's next search, see every document
    for result in results:
        result.target_count = target.count(result.kind)
    return results


@index_app.command("copy")
def copy(
    from_url: str = typer.Option(..., "--from", help="Store to read. Example: --from sqlite:///data/yuqing.db"),
    to_url: str = typer.Option(..., "--to", help="Store to write (created if needed). "
                               "Example: --to http://localhost:9200"),
    kind: list[str] = KindOpt,
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, max=10_000, help=BATCH_HELP),
) -> None:
    """Copy every document of every kind from one store to another, with progress.

    Documents keep their ids, so copying twice updates instead of duplicating, and a copy
    that stopped half-way can simply be run again. Example:
    `yuqing index copy --from sqlite:///data/yuqing.db --to http://localhost:9200`.
    """
    settings = load_settings(uses_store=False)
    check_store_url(from_url, "--from")
    check_store_url(to_url, "--to")
    kinds = _kinds(kind)
    if from_url == to_url:
        raise typer.BadParameter("--from and --to name the same store", param_hint="--to")
    console = Console(stderr=True)
    source = _open(from_url, settings)
    target = None
    try:
        target = _open(to_url, settings)
        totals = {k: source.count(k) for k in kinds}
        with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            tasks = {k: progress.add_task(k, total=totals[k]) for k in kinds}
            results = copy_documents(source, target, kinds, batch_for(target, batch_size),
                                     on_batch=lambda k, n: progress.advance(tasks[k], n))
    except (StoreError, ValueError) as exc:
        typer.echo(f"copy failed: {exc}", err=True)
        raise typer.Exit(code=1)
    finally:
        source.close()
        if target is not None:
            target.close()
    _summary(results, from_url, to_url)
    if any(r.written.errors for r in results):
        raise typer.Exit(code=1)


def read_spill(path: Path) -> Iterator[tuple[int, str, dict | None, str | None]]:
    """(line number, kind, document, problem) for each line of a crawl's spill file. Read as
    bytes: a line that is not UTF-8 (a damaged or binary file) is one problem, not the end."""
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                kind, doc = parse_spill_line(line)
            except ValueError as exc:
                yield number, "?", None, str(exc)
                continue
            yield number, kind, doc, None


@index_app.command("load")
def load(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                help="A spill file a crawl wrote when the store was down "
                                "(data/unsaved/*.jsonl: one {\"kind\", \"doc\"} per line)."),
    store: str | None = typer.Option(None, "--store", help="Store to load into. " + STORE_HELP),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, max=10_000, help=BATCH_HELP),
) -> None:
    """Load the documents a crawl could not store (its store was down) into a store.

    Documents keep their ids, so loading twice updates instead of duplicating. Example:
    `yuqing index load data/unsaved/gov_2024-06-01T00_00_00_00_00.jsonl`.
    """
    settings = load_settings(store=store)
    url = settings.store
    results: dict[str, KindCopy] = {}
    bad: list[str] = []
    try:
        target = _open(url, settings)
    except StoreError as exc:
        typer.echo(f"load failed: {exc}", err=True)
        raise typer.Exit(code=1)
    batch_size = batch_for(target, batch_size)
    batches: dict[str, list[dict]] = {}

    def write(kind: str) -> None:
        result = results.setdefault(kind, KindCopy(kind))
        result.written.merge(target.upsert(kind, batches[kind]))
        result.read += len(batches[kind])
        batches[kind] = []

    threads: dict[str, None] = {}  # posts loaded, and posts of comments loaded: their places are settled after
    try:
        for number, kind, doc, problem in read_spill(file):
            if problem:
                bad.append(f"line {number}: {problem}")
                continue
            if kind in ("post", "comment"):
                threads[doc.get("id") if kind == "post" else doc.get("post_id")] = None
            batches.setdefault(kind, []).append(doc)
            if len(batches[kind]) >= batch_size:
                write(kind)
        for kind in [k for k, docs in batches.items() if docs]:
            write(kind)
        # Spilled while the store was down, these could not look up their announcements; and
        # announcements loaded now may be what posts stored earlier were waiting for: then
        # every post still without a place is looked at.
        settled = settle_places(target, None if "announcement" in results else [i for i in threads if isinstance(i, str)])
        for result in results.values():
            result.target_count = target.count(result.kind)
    except StoreError as exc:
        typer.echo(f"load failed: {exc}; the file is untouched, run the command again", err=True)
        raise typer.Exit(code=1)
    finally:
        target.close()
    _summary(list(results.values()), str(file), url)
    if settled.posts or settled.comments:
        typer.echo(f"places settled from stored announcements: {settled.posts} posts, {settled.comments} comments")
    for line in bad[:MAX_LISTED_ERRORS]:
        typer.echo(f"skipped {line}", err=True)
    if bad or any(r.written.errors for r in results.values()):
        raise typer.Exit(code=1)
    typer.echo(f"every document in {file} is stored; the file can be deleted.")


def _summary(results: list[KindCopy], from_url: str, to_url: str) -> None:
    table = Table("kind", "read", "inserted", "updated", "unchanged", "older (kept newer)", "errors", "now in target",
                  title=f"{redact(from_url)} → {redact(to_url)}")
    for r in results:
        w = r.written
        table.add_row(r.kind, str(r.read), str(w.inserted), str(w.updated), str(w.unchanged), str(w.stale),
                      str(len(w.errors)), str(r.target_count))
    console = Console()
    console.print(table)
    errors = [(r.kind, doc_id, why) for r in results for doc_id, why in r.written.errors]
    for kind, doc_id, why in errors[:MAX_LISTED_ERRORS]:
        console.print(f"[red]rejected[/red] {kind} {doc_id}: {why}", highlight=False)
    if len(errors) > MAX_LISTED_ERRORS:
        console.print(f"… and {len(errors) - MAX_LISTED_ERRORS} more rejected documents")


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
