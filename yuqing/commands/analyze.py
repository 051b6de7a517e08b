"""`yuqing analyze` (label your own texts) and `yuqing reanalyze` (relabel the store)."""

from __future__ import annotations

import json
import logging
import sys
from typing import IO, Iterable

import typer

from analysis.labelling import INPUT_FIELDS, account_docs, label_documents, label_texts
from yuqing.commands.batches import batched
from core.config import Settings
from yuqing.checks import STORE_HELP, load_settings
from core.untrusted import parse_json

logger = logging.getLogger(__name__)

# Texts sent to the analysis in one enrich_many call: large enough to amortise sentiment's
# batch scoring, small enough that the first output line appears at once.
ANALYZE_BATCH = 200
# Documents upserted per store call during reanalyze.
REANALYZE_BATCH = 500


def validate_record(obj: object) -> dict:
    """The record as analysis expects it, or ValueError saying what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object with a \"text\" field")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("\"text\" is missing or empty")
    for key in INPUT_FIELDS[1:]:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise ValueError(f"\"{key}\" must be a string")
    return {k: obj.get(k) for k in INPUT_FIELDS}


def _analyze_stream(lines: Iterable[bytes | str], out: IO[str], kind: str, options) -> tuple[int, int]:
    """Label JSON Lines; a broken line gets an error object in its place and the others go on.
    Lines are read as bytes (not UTF-8 is that line's error) and parsed by ``core/untrusted.py``
    (nesting bounded, lone surrogates replaced). Returns (ok, errors)."""
    ok = errors = 0
    pending: list[tuple[int, dict]] = []

    def error(line_no: int, reason: str) -> None:
        nonlocal errors
        out.write(json.dumps({"line": line_no, "error": reason}, ensure_ascii=False) + "\n")
        errors += 1

    def flush() -> None:
        nonlocal ok
        if not pending:
            return
        try:
            labelled = list(zip(pending, label_texts(kind, [r for _, r in pending], options)))
        except Exception:  # one text the analysis cannot take must not cost its batch: one at a time
            labelled = []
            for entry in pending:
                try:
                    labelled.append((entry, label_texts(kind, [entry[1]], options)[0]))
                except Exception as exc:
                    logger.exception("line %d: analysis failed", entry[0])
                    labelled.append((entry, {"error": f"analysis failed: {type(exc).__name__}"}))
        for (line_no, _), label in labelled:
            if "error" in label:
                error(line_no, label["error"])
                continue
            out.write(json.dumps({"line": line_no, **label}, ensure_ascii=False) + "\n")
            ok += 1
        pending.clear()

    for line_no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = validate_record(parse_json(line))
        except ValueError as exc:
            flush()  # keep output in input order
            error(line_no, str(exc))
            continue
        pending.append((line_no, record))
        if len(pending) >= ANALYZE_BATCH:
            flush()
    flush()
    out.flush()
    return ok, errors


def analyze(
    kind: str = typer.Option("comment", "--kind", help="How to read each text: `announcement` (a closure notice: "
                             "places, accounts, platforms) or `comment` (stance). Example: --kind announcement"),
) -> None:
    """Label your own texts: JSON Lines on stdin, one JSON object per line on stdout.

    Each input line is an object with `text` and optionally `title`, `issuer`, `published_at`,
    `subject_city` and `wechat_account` (a WeChat article's own account: what 本公众号 means). Each output line carries `line` (the input line number) and
    sentiment, sentiment_label, province, city, district, admin_code, ambiguous, themes,
    platforms, accounts and stance — or `error` when the input line is broken.

    Example: echo '{"text": "早就该关了，纯属浪费资源"}' | yuqing analyze
    """
    from analysis.enrich import AnalysisOptions

    if kind not in ("announcement", "comment"):
        raise typer.BadParameter("expected announcement or comment", param_hint="--kind")
    options = AnalysisOptions.from_settings(load_settings(uses_store=False))
    ok, errors = _analyze_stream(sys.stdin.buffer, sys.stdout, kind, options)
    typer.echo(f"analysed {ok} texts, {errors} broken lines", err=True)


def reanalyze(
    store: str | None = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Recompute every stored document's labels (after a taxonomy or model change), no re-crawl.

    Announcements get new places, themes, accounts and sentiment (their account documents are
    regenerated); posts and comments get new themes, sentiment and stance, a post without a
    place takes its linked announcement's, comments keeping the subject city of their post. Example: yuqing reanalyze --store sqlite:///data/yuqing.db
    """
    from rich.progress import Progress

    from analysis.enrich import AnalysisOptions
    from store import open_store

    settings = load_settings(store=store)
    options = AnalysisOptions.from_settings(settings)
    from store.errors import StoreError

    try:
        st = open_store(settings.store, **settings.store_options())
    except StoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        with Progress(transient=False) as progress:
            totals = reanalyze_store(st, options, progress)
    finally:
        st.close()
    typer.echo("relabelled " + ", ".join(f"{n} {kind}s" for kind, n in totals.items()))


def reanalyze_store(st, options, progress=None) -> dict[str, int]:
    """Relabel announcements (and their accounts), posts, then comments; returns counts."""
    totals: dict[str, int] = {}
    post_city: dict[str, str | None] = {}
    # Each kind's subject city: a post keeps its own (settled from a linked notice), a comment
    # takes its post's, so a whole group is scored in one batch.
    subject_city = {
        "announcement": lambda d: None,
        "post": lambda d: d.get("city"),
        "comment": lambda d: post_city.get(d.get("post_id"), d.get("city")),
    }
    for kind in ("announcement", "post", "comment"):
        task = progress.add_task(f"{kind}s", total=st.count(kind)) if progress else None
        totals[kind] = 0
        for batch in batched(st.iterate(kind), REANALYZE_BATCH):
            docs = label_documents(kind, batch, options, subject_city=subject_city[kind])
            if kind == "post":
                _settle_from_links(st, docs)
                post_city.update((d["id"], d.get("city")) for d in docs)
            st.upsert(kind, docs)
            if kind == "announcement":
                _replace_accounts(st, docs)
            totals[kind] += len(docs)
            if progress is not None:
                progress.advance(task, len(docs))
    return totals


def _settle_from_links(st, posts: list[dict]) -> None:
    """A post still without a place takes its linked announcement's (a crawl whose store was
    down could not look it up); its comments then follow it through ``post_city``."""
    from analysis.subject_places import lacks_place, place_from_links

    for post in posts:
        if lacks_place(post):
            place = place_from_links(post, lambda doc_id: st.get("announcement", doc_id))
            if place:
                post["province"], post["city"] = place


def _replace_accounts(st, announcements: list[dict]) -> None:
    """The relabelled announcements' account documents in place of their old ones."""
    from store.base import Query

    # One store read for the whole batch, not one per announcement.
    ids = [d["id"] for d in announcements]
    old = [h["id"] for h in st.iterate("account", Query(filters={"announcement_id": ids}, highlight=False))]
    if old:
        st.delete("account", old)
    accounts = [a for d in announcements for a in account_docs(d)]
    if accounts:
        st.upsert("account", accounts)


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("reanalyze")(reanalyze)
