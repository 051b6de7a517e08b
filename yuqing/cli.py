"""The `yuqing` command tree.

Each command group lives in ``yuqing/commands/<name>.py`` and exposes
``register(app: typer.Typer) -> None``; this module only assembles them, so adding a
command never means editing a central switch.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

import typer

import yuqing.commands
from core import __version__

app = typer.Typer(
    name="yuqing",
    help="Track public reaction to the closure of Chinese government new-media accounts: "
    "crawl announcements and commentary, analyse them, index them, serve an API.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"yuqing {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log debug detail."),
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _register_all() -> None:
    for info in sorted(pkgutil.iter_modules(yuqing.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"yuqing.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
