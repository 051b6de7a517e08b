"""Labelling records: the one use case behind the crawl pipeline, `yuqing analyze`,
`yuqing reanalyze` and `POST /analyze`.

Every path goes through :func:`analysis.enrich.enrich_many`; this module only shapes what
goes in and what comes out: a caller's own texts become documents and their labels the
public label set; stored documents are relabelled in groups that share a subject city; an
announcement's accounts become account documents.
"""

from __future__ import annotations

from typing import Callable, Iterable, TypeVar

from analysis.enrich import AnalysisOptions, enrich_many, is_truncated

T = TypeVar("T")

# What a caller may send with each text (`yuqing analyze`, POST /analyze).
# wechat_account: a WeChat article's own account, what 本公众号 in an announcement refers to (issue 18).
INPUT_FIELDS = ("text", "title", "issuer", "published_at", "subject_city", "wechat_account")
# The labels reported for every text, whatever the kind.
PUBLIC_LABELS = ("sentiment", "sentiment_label", "province", "city", "district", "admin_code", "ambiguous",
                 "themes", "platforms", "accounts", "stance",
                 # which models scored the text (issue 18): sentiment always, stance for commentary
                 "sentiment_model", "stance_model")


def label_documents(kind: str, docs: list[dict], options: AnalysisOptions,
                    subject_city: Callable[[dict], str | None] = lambda doc: None) -> list[dict]:
    """Each document with ``kind``'s labels, in input order. Documents that share a subject
    city (a comment's post's, a post's own) are scored together in one batch."""
    out: list[dict | None] = [None] * len(docs)
    for city, indexed in group_by(list(enumerate(docs)), lambda pair: subject_city(pair[1])):
        labelled = enrich_many(kind, [doc for _, doc in indexed], options, subject_city=city)
        for (i, _), doc in zip(indexed, labelled):
            out[i] = doc
    return [doc for doc in out if doc is not None]


def label_texts(kind: str, records: list[dict], options: AnalysisOptions) -> list[dict]:
    """Labels for a caller's own texts (dicts of INPUT_FIELDS): PUBLIC_LABELS of each."""
    if kind == "announcement":
        docs = [{"title": r.get("title"), "body": r["text"], "issuer": r.get("issuer"),
                 "published_at": r.get("published_at"), "wechat_account": r.get("wechat_account")} for r in records]
    else:
        docs = [{"text": r["text"], "title": r.get("title"), "subject_city": r.get("subject_city")} for r in records]
    labelled = label_documents(kind, docs, options, subject_city=lambda d: d.get("subject_city"))
    return [{**public_labels(kind, doc), "truncated": is_truncated(kind, doc)} for doc in labelled]


def public_labels(kind: str, doc: dict) -> dict:
    labels = {k: doc.get(k) for k in PUBLIC_LABELS}
    labels["ambiguous"] = bool(doc.get("place_ambiguous"))
    labels["themes"] = list(doc.get("themes") or [])
    labels["platforms"] = list(doc.get("platforms") or [])
    labels["accounts"] = list(doc.get("accounts") or []) if kind == "announcement" else []
    return labels


def account_docs(announcement: dict) -> list[dict]:
    """One account document per account the announcement closes."""
    out = []
    for n, acc in enumerate(announcement.get("accounts") or []):
        out.append({
            "id": f"{announcement['id']}:{n}",
            "announcement_id": announcement["id"],
            "issuer": announcement.get("issuer"),
            "province": announcement.get("province"),
            "city": announcement.get("city"),
            **{k: acc.get(k) for k in ("name", "platform", "action", "effective_date", "successor",
                                       "confidence", "evidence")},
            "reasons": list(acc.get("reasons") or []),
        })
    return out


def group_by(items: Iterable[T], key: Callable[[T], str | None]) -> list[tuple[str | None, list[T]]]:
    """Items grouped by ``key``, groups in order of first appearance."""
    groups: dict[str | None, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return list(groups.items())
