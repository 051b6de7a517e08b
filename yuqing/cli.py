"""The `yuqing` command tree.

Each command group lives in ``yuqing/commands/<name>.py`` and exposes
``register(app: typer.Typer) -> None``; this module only assembles them, so adding a
command never means editing a central switch.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys

import typer
from pydantic import ValidationError

try:  # typer ≥ 0.2x carries its own copy of click; older ones use click itself
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - depends on the installed typer
    from click.exceptions import NoArgsIsHelpError, UsageError

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


def usage_error_line(exc: UsageError) -> str:
    """A usage error as one line: what is wrong (with its example), and where help is."""
    command = exc.ctx.command_path if exc.ctx else "yuqing"
    return f"error: {exc.format_message()}  (see `{command} --help`)"


def main() -> None:
    """The console script: a user's mistake is one line on stderr and exit code 2, never a
    traceback (typer's framed error boxes are replaced by the same one line)."""
    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError as exc:
        exc.show()  # `yuqing crawl` alone: the help, as in standalone mode
        sys.exit(2)
    except UsageError as exc:
        typer.echo(usage_error_line(exc), err=True)
        sys.exit(2)
    except ValidationError as exc:  # a YUQING_* variable a command read without yuqing.checks
        first = exc.errors()[0]
        typer.echo(f"error: setting {'.'.join(map(str, first.get('loc', ())))}: {first.get('msg')}", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
