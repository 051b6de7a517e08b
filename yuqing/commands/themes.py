"""`yuqing themes train|classify`: train the comment-themes model that adds to the taxonomy's rules."""

from __future__ import annotations

from pathlib import Path

import typer

themes_app = typer.Typer(help="Themes model: train on labelled comments, classify texts.", no_args_is_help=True)


@themes_app.command("train")
def train(
    labelled: Path = typer.Option(..., "--labelled", help="JSON lines, one {\"text\": ..., \"themes\": [theme ids]} "
                                  "per line. Example: --labelled data/themes.jsonl"),
    out: Path = typer.Option(..., "--out", help="Directory to write the model into; then set YUQING_THEMES_MODEL "
                             "to it. Example: --out models/themes"),
) -> None:
    """Train one linear model per theme on labelled comments (scikit-learn).

    Example: yuqing themes train --labelled analysis/themes_comments.jsonl --out models/themes
    """
    from analysis import themes
    from analysis.themes_model import ThemesDataError, train_model
    from core.config import Settings

    theme_ids = [t.id for t in themes.load_taxonomy(Settings().themes_file).themes]
    try:
        meta = train_model(labelled, out, theme_ids)
    except (ThemesDataError, themes.TaxonomyError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    typer.echo(f"trained {meta['id']}: {meta['texts']} texts, models for {', '.join(meta['themes'])}\n"
               f"wrote {out}\nuse it with: export YUQING_THEMES_MODEL={out}")


@themes_app.command("classify")
def classify(
    text: list[str] = typer.Argument(..., help="Texts to classify. Example: yuqing themes classify 一个街道三个号"),
    model: Path | None = typer.Option(None, "--model", help="A `themes train` directory (default: "
                                      "$YUQING_THEMES_MODEL, else the shipped model)."),
) -> None:
    """Print each text's themes: the rules', the model's, and the union the analysis records."""
    from analysis import themes, themes_model
    from analysis.text import normalise
    from core.config import Settings

    settings = Settings()
    taxonomy = themes.load_taxonomy(settings.themes_file)
    try:
        loaded = themes_model.load_model(model or settings.themes_model, [t.id for t in taxonomy.themes])
    except (FileNotFoundError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    normalised = [normalise(t) for t in text]
    for t, n, by_model in zip(text, normalised, loaded.predict(normalised)):
        by_rules = set(themes.classify(n, taxonomy, normalised=True).themes)
        union = [th.id for th in taxonomy.themes if th.id in by_rules | by_model]
        typer.echo(f"{','.join(union) or '-'}\trules={','.join(sorted(by_rules)) or '-'}\t"
                   f"model={','.join(sorted(by_model)) or '-'}\t{loaded.id}\t{t}")


def register(app: typer.Typer) -> None:
    app.add_typer(themes_app, name="themes")
