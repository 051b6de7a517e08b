"""Arguments checked before any work starts: one line saying what is wrong and what would
be right, exit code 2 (a usage error), never a traceback for a user's mistake."""

from __future__ import annotations

import datetime as dt
import os

import typer
from pydantic import ValidationError

from core.config import Settings
from store.urls import store_url_problem


# The --store help of every command: the slash count is the usual stumble.
STORE_HELP = ("Store URL (default: $YUQING_STORE, else sqlite:///data/yuqing.db). sqlite:///data/yuqing.db (three "
              "slashes) is relative to the working directory, sqlite:////srv/yuqing/yuqing.db (four) is absolute; "
              "the directory must exist. Elasticsearch: http://localhost:9200")


def load_settings(*, uses_store: bool = True, **options: object) -> Settings:
    """The settings from ``YUQING_*`` and ``.env``, with the command's options on top; a bad
    variable or store URL is a usage error naming it."""
    try:
        settings = Settings().with_options(**options)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "YUQING_" + str(first["loc"][0]).upper() if first.get("loc") else "a YUQING_ variable"
        raise typer.BadParameter(f"{name}={first.get('input')!r}: {first.get('msg')}; "
                                 "`yuqing --help` and README's Configuration table list each setting") from None
    if uses_store:
        given = "--store" if options.get("store") else "YUQING_STORE" if "YUQING_STORE" in os.environ \
            else "the default store (run from the project directory, or set YUQING_STORE / --store)"
        check_store_url(settings.store, given)
    return settings


def check_store_url(url: str, where: str = "--store") -> str:
    problem = store_url_problem(url)
    if problem:
        raise typer.BadParameter(problem, param_hint=where)
    return url


def check_date(value: str | None, option: str) -> str | None:
    """``YYYY-MM-DD`` or None; anything else is a usage error with an example."""
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. {option} 2024-05-01",
                                 param_hint=option) from None
    return value
