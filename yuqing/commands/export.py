"""`yuqing export KIND`: write a dataset file (JSON Lines or CSV) with its provenance.

The same records, columns and filters as ``GET /export/{kind}`` (``api/exporting.py``),
read straight from the store, for datasets too large or too private to pass through the
API. Provenance: JSON Lines starts with a ``{"_meta": …}`` line; a CSV written to a file
gets a ``FILE.meta.json`` beside it (CSV has nowhere inside to put it); CSV on stdout
prints it to stderr. A file is written as ``FILE.part`` and renamed when complete, so a
failed export never leaves a short file that looks finished.
"""

from __future__ import annotations

import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Iterator, Optional

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from core.config import Settings
from yuqing.checks import STORE_HELP, check_date, load_settings

# Records between progress-bar updates: redrawing per record would cost more than writing it.
PROGRESS_EVERY = 200

KIND_HELP = "What to export: announcement, account, post or comment."


def _open(url: str, settings: Settings):
    """Open a store by URL (a seam: tests can swap in a client for the test cluster)."""
    from store import open_store

    return open_store(url, **settings.store_options())


def _filter_values(**options: object) -> dict:
    """The options the user gave, under the API's parameter names."""
    return {name: value for name, value in options.items() if value not in (None, [], ())}


def _problems(exc: ValidationError | Exception, kind: str) -> str:
    """Bad filters as ``--option: reason`` in the command line's own vocabulary."""
    if isinstance(exc, ValidationError):
        rows = []
        for e in exc.errors():
            name = str(e["loc"][0]) if e.get("loc") else "filters"
            reason = f"not a filter of {kind}" if e.get("type") == "extra_forbidden" else e.get("msg", "invalid")
            rows.append({"parameter": name, "reason": reason})
    else:
        rows = getattr(exc, "detail", None) or [{"parameter": "filters", "reason": str(exc)}]
    return "; ".join(f"--{str(r['parameter']).replace('_', '-')}: {r['reason']}" for r in rows)


@dataclass
class ExportResult:
    provenance: dict  # as in the file's `_meta` line; `count` is the matches when the export began
    written: int = 0  # records actually written (differs from `count` only if the store changed meanwhile)


def _counted(rows: Iterable[dict], result: ExportResult, progress: Progress | None, task) -> Iterator[dict]:
    for row in rows:
        yield row
        result.written += 1
        if progress is not None and result.written % PROGRESS_EVERY == 0:
            progress.update(task, completed=result.written)
    if progress is not None:
        progress.update(task, completed=result.written)


def write_export(store, kind: str, query, fmt: str, out: IO[str], progress: Progress | None = None) -> ExportResult:
    """Write every matching record to ``out``. A store failure part-way is raised, not
    written into the file."""
    from api.csv_output import csv_lines
    from api.exporting import columns, jsonl_lines, records
    from api.provenance import provenance

    count = store.count(kind, query)
    prov = provenance(store, kind, query, count=count)
    task = progress.add_task(f"{kind}s", total=count) if progress is not None else None
    result = ExportResult(provenance=prov.as_dict())
    rows = _counted(records(store, kind, query), result, progress, task)
    if fmt == "csv":
        lines = csv_lines(columns(kind), rows)
    else:
        lines = jsonl_lines(prov, rows, catch=False)
    for line in lines:
        out.write(line)
    out.flush()
    return result


def export(
    kind: str = typer.Argument(..., help=KIND_HELP, show_default=False, metavar="KIND"),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (a `{\"_meta\": …}` line, then one record "
                            "per line) or csv (UTF-8 with BOM, lists joined with `|`)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="File to write (default: stdout). "
                                       "Example: --out comments.csv"),
    q: Optional[str] = typer.Option(None, "--q", help="Full-text search, as in the API. Example: --q 关停"),
    city: list[str] = typer.Option([], "--city", help="City; repeat for any of several. Example: --city 昆明市"),
    province: list[str] = typer.Option([], "--province", help="Province. Example: --province 云南省"),
    district: list[str] = typer.Option([], "--district", help="District (announcements)."),
    platform: list[str] = typer.Option([], "--platform", help="Platform: wechat, weibo, douyin, app, news…"),
    theme: list[str] = typer.Option([], "--theme", help="Theme id, e.g. formalism (not for accounts)."),
    issuer: list[str] = typer.Option([], "--issuer", help="Issuing body (announcements)."),
    sentiment_label: list[str] = typer.Option([], "--sentiment-label", help="positive, neutral or negative."),
    stance: list[str] = typer.Option([], "--stance", help="support, oppose or neutral (posts, comments)."),
    post_id: list[str] = typer.Option([], "--post-id", help="Comments on this post, e.g. weibo:5012345678."),
    author_region: list[str] = typer.Option([], "--author-region", help="Commenter's IP-location province, e.g. 云南."),
    action: list[str] = typer.Option([], "--action", help="stop_updating, deregister or merge (accounts)."),
    announcement_id: list[str] = typer.Option([], "--announcement-id", help="Accounts of this announcement."),
    partial: Optional[bool] = typer.Option(None, "--partial/--complete", help="Posts whose comment thread "
                                           "was cut short / fetched in full."),
    date_from: Optional[str] = typer.Option(None, "--date-from", help="Earliest date, inclusive. Example: 2024-05-01"),
    date_to: Optional[str] = typer.Option(None, "--date-to", help="Latest date, inclusive. Example: 2024-06-30"),
    store: Optional[str] = typer.Option(None, "--store", help=STORE_HELP),
    force: bool = typer.Option(False, "--force", help="Replace an existing --out file (and its .meta.json). "
                               "Without it an existing file is never overwritten."),
) -> None:
    """Export documents with provenance, for analysis in pandas, R or a spreadsheet.

    Takes the same filters as the API's list routes; a filter the kind lacks is an error. Authors appear only as salted hashes. Each record keeps its source `url`, `crawled_at` and `sentiment_model`.

    Example: yuqing export comment --format csv --city 西安市 --date-from 2024-05-01 --out xian.csv
    """
    from api.errors import InvalidParameters
    from api.exporting import EXPORT_KINDS, EXPORT_PARAMS, FORMATS, export_query
    from store.errors import StoreError

    if kind not in EXPORT_KINDS:
        raise typer.BadParameter(f"{kind!r}; choose one of {', '.join(EXPORT_KINDS)}", param_hint="KIND")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}; choose jsonl or csv", param_hint="--format")
    values = _filter_values(q=q, city=city, province=province, district=district, platform=platform, theme=theme,
                            issuer=issuer, sentiment_label=sentiment_label, stance=stance, post_id=post_id,
                            author_region=author_region, action=action, announcement_id=announcement_id,
                            partial=partial, date_from=date_from, date_to=date_to)
    check_date(date_from, "--date-from")
    check_date(date_to, "--date-to")
    if out is not None and not force:
        taken = [p for p in (out, out.with_name(out.name + ".meta.json") if fmt == "csv" else None) if p and p.exists()]
        if taken:
            raise typer.BadParameter(f"{taken[0]} exists; choose another file or add --force to replace it",
                                     param_hint="--out")
    settings = load_settings(store=store)
    try:
        query = export_query(kind, EXPORT_PARAMS[kind].model_validate(values), settings)
    except (ValidationError, InvalidParameters) as exc:
        raise typer.BadParameter(_problems(exc, kind), param_hint=f"filters of {kind}") from exc

    err = Console(stderr=True)
    try:
        st = _open(settings.store, settings)
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    target = out.with_name(out.name + ".part") if out else None
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=False) as progress:
            if target is not None:
                with target.open("w", encoding="utf-8", newline="") as fh:
                    result = write_export(st, kind, query, fmt, fh, progress)
            else:
                stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
                try:
                    result = write_export(st, kind, query, fmt, stdout, progress)
                finally:
                    stdout.detach()  # leave sys.stdout open for the rest of the process
    except StoreError as exc:
        if target is not None:
            target.unlink(missing_ok=True)
        err.print(f"[red]export failed:[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        st.close()

    if out is not None and target is not None:
        os.replace(target, out)
        if fmt == "csv":
            sidecar = out.with_name(out.name + ".meta.json")
            sidecar.write_text(json.dumps(result.provenance, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            err.print(f"provenance in {sidecar}")
    elif fmt == "csv":
        err.print("provenance: " + json.dumps(result.provenance, ensure_ascii=False), soft_wrap=True)
    err.print(f"exported {result.written} {kind}s" + (f" to {out}" if out else ""))


def register(app: typer.Typer) -> None:
    app.command("export")(export)
