"""The one entry point the pipeline, the CLI and the API call: a document in, its labels out.

Stages, in the order ``enrich`` runs them:

1. normalise the text once (simplified characters, half-width digits);
2. place — issuer, title and body for announcements; the subject-city hint and the text
   for posts; the post's subject city for comments (``analysis.places``);
3. themes from the YAML taxonomy (``analysis.themes``); for posts and comments also those of
   the trained themes model (``analysis.themes_model``, ``YUQING_THEMES_MODEL``);
4. announcements only: the closed accounts, their platforms and successor
   (``analysis.accounts``);
5. posts and comments only: stance toward the closure (``analysis.stance``), the id of the
   stance model that scored it (``stance_model``; ``YUQING_STANCE_MODEL`` or the shipped one),
   and the platforms the text names;
6. sentiment — snownlp's score, a three-way label by the configured thresholds, and the
   model id (``analysis.sentiment``); ``enrich_many`` scores a whole batch in one call.
   Announcements keep the raw score with a null label: snownlp's tone is not meaningful for
   formal notices (issue 18).

Pure: the only work besides computing is loading the gazetteer, the taxonomy and the
sentiment model once; :func:`reset_caches` forgets them (tests, a changed taxonomy).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from analysis import accounts as accounts_mod
from analysis import places, sentiment, stance_model, text, themes, themes_model
from analysis.platforms import named_platforms
from analysis.stance import classify_many
from analysis.themes import THEME_IDS
from core.limits import MAX_ANALYSIS_CHARS
from core.vocabulary import ANALYSED_KINDS, SENTIMENT_NEGATIVE_AT, SENTIMENT_POSITIVE_AT

ANNOUNCEMENT, POST, COMMENT = ANALYSED_KINDS
# Fields each kind's sentiment is computed on (an announcement's tone is in its body).
_TEXT_FIELDS = {ANNOUNCEMENT: ("title", "body"), POST: ("title", "text"), COMMENT: ("text",)}
# Every free-text field analysis reads, each capped at MAX_ANALYSIS_CHARS.
_READ_FIELDS = ("title", "body", "text", "issuer")


@dataclass(frozen=True)
class AnalysisOptions:
    """Everything analysis needs to know, read once from Settings."""

    sentiment_positive: float = SENTIMENT_POSITIVE_AT
    sentiment_negative: float = SENTIMENT_NEGATIVE_AT
    themes_file: Path | None = None  # None: the shipped analysis/themes.yaml
    sentiment_model: Path | None = None  # None: snownlp's own model
    stance_model: Path | None = None  # None: the shipped closure-stance model
    themes_model: Path | None = None  # None: the shipped comment-themes model (added to the rules' themes)

    @classmethod
    def from_settings(cls, settings) -> "AnalysisOptions":
        return cls(
            sentiment_positive=settings.sentiment_positive,
            sentiment_negative=settings.sentiment_negative,
            themes_file=settings.themes_file,
            sentiment_model=settings.sentiment_model,
            stance_model=getattr(settings, "stance_model", None),
            themes_model=getattr(settings, "themes_model", None),
        )

    def taxonomy(self) -> themes.Taxonomy:
        return themes.load_taxonomy(str(self.themes_file) if self.themes_file else None)


def warm_up(options: AnalysisOptions) -> None:
    """Load every model, gazetteer and taxonomy now (several seconds), so the first
    document of a crawl does not stall the downloads around it."""
    enrich("announcement", {"title": "关于“某某发布”微信公众号停止更新的公告", "body": "自即日起停止更新。",
                            "issuer": "昆明市人民政府办公室"}, options)
    enrich("comment", {"text": "早该关了"}, options)


def reset_caches() -> None:
    """Forget loaded gazetteer, taxonomies and converters (the next call reloads them)."""
    places.reset_caches()
    themes.reset_caches()
    text.reset_caches()


def _joined(doc: dict, kind: str) -> str:
    return "\n".join(str(doc.get(f) or "") for f in _TEXT_FIELDS[kind] if doc.get(f))


def _sentiment_fields(kind: str, score: float, options: AnalysisOptions) -> dict:
    # snownlp, trained on product reviews, scores formal notices near 0 or 1 whatever they say
    # (a merger notice came out "负面", issue 18). An announcement keeps its raw score, marked
    # not meaningful by a null label; only posts and comments get a tone.
    return {
        "sentiment": round(score, 6),
        "sentiment_label": None if kind == ANNOUNCEMENT else sentiment.label(
            score, options.sentiment_positive, options.sentiment_negative),
        "sentiment_model": sentiment.model_id(options.sentiment_model),
    }


def _place_fields(place: places.Place) -> dict:
    return {
        "province": place.province,
        "city": place.city,
        "district": place.district,
        "admin_code": place.admin_code,
        "place_ambiguous": place.ambiguous,
    }


@dataclass(frozen=True)
class _ModelsSaid:
    """What the trained models read in one post or comment."""

    text: str  # the normalised text they read
    themes: set[str]
    stance: str
    stance_model: str


def _models_say(normalised: list[str], options: AnalysisOptions) -> list[_ModelsSaid]:
    """The stance and themes models over a batch of normalised texts, one call each: scikit-learn
    costs ~4 ms a call whatever the batch, and the themes model is one pipeline per theme
    (one text per call: ~35 ms a comment)."""
    model = stance_model.load_model(options.stance_model)
    by_model = themes_model.load_model(options.themes_model, THEME_IDS).predict(normalised)
    stances = classify_many(normalised, normalised=True, model=model)
    return [_ModelsSaid(t, found, result.stance, model.id) for t, found, result in zip(normalised, by_model, stances)]


def _labels(kind: str, doc: dict, options: AnalysisOptions, subject_city: str | None,
            models_said: _ModelsSaid | None = None) -> dict:
    """Every label but sentiment (``models_said``: the trained models' reading of this post or
    comment, when ``enrich_many`` has read a batch)."""
    if kind not in ANALYSED_KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(ANALYSED_KINDS)}")
    taxonomy = options.taxonomy()
    if kind == ANNOUNCEMENT:
        place = places.resolve_announcement(doc.get("issuer"), doc.get("title"), doc.get("body"))
        found = accounts_mod.extract_accounts(doc.get("title"), doc.get("body"), doc.get("published_at"), taxonomy,
                                              wechat_account=doc.get("wechat_account"), issuer=doc.get("issuer"))
        return {
            **_place_fields(place),
            "platforms": list(found.platforms),
            "themes": list(themes.classify(_joined(doc, kind), taxonomy).themes),
            "accounts": [a.as_dict() for a in found.accounts],
        }
    said = models_said or _models_say([text.normalise(_joined(doc, kind))], options)[0]
    normalised = said.text
    by_rules = set(themes.classify(normalised, taxonomy, normalised=True).themes)
    labels = {
        # Commentary: the rules' themes plus the trained model's (analysis/themes_model.py).
        "themes": [t.id for t in taxonomy.themes if t.id in by_rules | said.themes],
        "stance": said.stance,
        "stance_model": said.stance_model,
        "platforms": list(named_platforms(normalised)),
    }
    if kind == POST:
        place = places.resolve_text(normalised, hint=subject_city, region=doc.get("region"))
        labels.update(province=place.province, city=place.city)
    elif subject_city:
        place = places.place_of_name(subject_city)
        if place.city or place.province:
            labels.update(province=place.province, city=place.city)
        else:
            labels["city"] = subject_city  # a name the gazetteer does not know: keep it as given
    elif not doc.get("post_id"):
        # A comment is about its post's place (settled from the post by the crawl). A text with
        # no post — a caller's own, through `yuqing analyze` — is about the place it names.
        place = places.resolve_text(normalised)
        labels.update(_place_fields(place))
    return labels


def is_truncated(kind: str, doc: dict) -> bool:
    """Whether analysis reads only the first MAX_ANALYSIS_CHARS of one of ``doc``'s texts."""
    return any(isinstance(doc.get(f), str) and len(doc[f]) > MAX_ANALYSIS_CHARS for f in _READ_FIELDS)


def _capped(doc: dict) -> dict:
    """The document as analysis reads it: each text cut at MAX_ANALYSIS_CHARS (core/limits.py)."""
    long = [f for f in _READ_FIELDS if isinstance(doc.get(f), str) and len(doc[f]) > MAX_ANALYSIS_CHARS]
    return {**doc, **{f: doc[f][:MAX_ANALYSIS_CHARS] for f in long}} if long else doc


def enrich(kind: str, doc: dict, options: AnalysisOptions, subject_city: str | None = None) -> dict:
    """A new document dict with ``kind``'s labels filled in (see core/schema.py)."""
    read = _capped(doc)
    labels = _labels(kind, read, options, subject_city)
    score = sentiment.score(_joined(read, kind), options.sentiment_model)
    return {**doc, **labels, **_sentiment_fields(kind, score, options)}


def enrich_many(kind: str, docs: Iterable[dict], options: AnalysisOptions,
                subject_city: str | None = None) -> list[dict]:
    """``enrich`` over a batch, scoring sentiment in one ``score_many`` call."""
    docs = list(docs)
    read = [_capped(d) for d in docs]
    if kind in (POST, COMMENT) and read:
        said = _models_say([text.normalise(_joined(d, kind)) for d in read], options)
        labelled = [_labels(kind, d, options, subject_city, s) for d, s in zip(read, said)]
    else:
        labelled = [_labels(kind, d, options, subject_city) for d in read]
    scores = sentiment.score_many([_joined(d, kind) for d in read], options.sentiment_model)
    return [{**d, **lab, **_sentiment_fields(kind, s, options)} for d, lab, s in zip(docs, labelled, scores)]


__all__ = ["AnalysisOptions", "enrich", "enrich_many", "is_truncated", "reset_caches"]
