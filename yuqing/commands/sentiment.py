"""`yuqing sentiment train|score`: retrain snownlp's sentiment model on domain text, try it."""

from __future__ import annotations

from pathlib import Path

import typer

sentiment_app = typer.Typer(help="Sentiment model: retrain on domain text, score texts.", no_args_is_help=True)


@sentiment_app.command("train")
def train(
    pos: Path | None = typer.Option(None, "--pos", help="Positive documents, UTF-8, one per line. "
                                    "Example: --pos data/pos.txt"),
    neg: Path | None = typer.Option(None, "--neg", help="Negative documents, UTF-8, one per line. "
                                    "Example: --neg data/neg.txt"),
    labelled: Path | None = typer.Option(
        None, "--labelled", help="Instead of --pos/--neg: one labelled file, JSON lines "
        '{"text", "sentiment": "positive"|"negative"} or CSV with a label column (positive/negative or 1/0) '
        "and a text, review or content column, as public Weibo sets are written. Example: --labelled weibo.csv"),
    out: Path = typer.Option(..., "--out", help="Directory to write the model into (created if missing); then "
                             "set YUQING_SENTIMENT_MODEL to it. Example: --out models/closures"),
) -> None:
    """Retrain snownlp's Bayes sentiment model on your own positive and negative texts.

    snownlp's shipped model was trained on shopping reviews: on Weibo posts it is right ~60% of
    the time, a model retrained on Weibo posts ~72–74% (BENCHMARKS.md, bench/sentiment_quality.py).

    Examples: yuqing sentiment train --pos pos.txt --neg neg.txt --out models/closures;
    yuqing sentiment train --labelled weibo_senti_100k.csv --out models/weibo
    """
    from analysis.sentiment_training import TrainingDataError, train_labelled, train_model

    two_files = pos is not None or neg is not None
    if (labelled is not None) == two_files or (two_files and (pos is None or neg is None)):
        typer.echo("error: give --pos and --neg, or --labelled (not both); "
                   "example: yuqing sentiment train --labelled weibo.csv --out models/weibo", err=True)
        raise typer.Exit(code=2)

    def progress(done: int, total: int) -> None:
        typer.echo(f"segmented {done}/{total} documents", err=True)

    try:
        summary = (train_labelled(labelled, out, progress=progress) if labelled is not None
                   else train_model(pos, neg, out, progress=progress))
    except TrainingDataError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(
        f"trained {summary.model_id}: {summary.positive_documents} positive and "
        f"{summary.negative_documents} negative documents, {summary.positive_words + summary.negative_words} "
        f"words, vocabulary {summary.vocabulary}\nwrote {summary.model_file}\n"
        f"use it with: export YUQING_SENTIMENT_MODEL={summary.out_dir}"
    )


@sentiment_app.command("score")
def score(
    text: list[str] = typer.Argument(..., help="Texts to score. Example: yuqing sentiment score 支持 垃圾"),
    model: Path | None = typer.Option(None, "--model", help="A directory written by `sentiment train` "
                                      "(default: $YUQING_SENTIMENT_MODEL, else snownlp's model)."),
) -> None:
    """Print the positive probability, label and model of each text."""
    from analysis import sentiment
    from core.config import Settings

    settings = Settings()
    location = model or settings.sentiment_model
    try:
        loaded = sentiment.load_model(location)
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    for t, value in zip(text, sentiment.score_many(text, loaded)):
        label = sentiment.label(value, settings.sentiment_positive, settings.sentiment_negative)
        typer.echo(f"{value:.4f}\t{label}\t{loaded.id}\t{t}")


def register(app: typer.Typer) -> None:
    app.add_typer(sentiment_app, name="sentiment")
