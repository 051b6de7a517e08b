"""README says why each dependency is there: every package pyproject.toml installs has one row
in its table, and the table names nothing pyproject.toml does not install."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _installed() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = [r for extra in project["optional-dependencies"].values() for r in extra]
    return {_name(r) for r in [*project["dependencies"], *extras]}


def _first_cells() -> list[str]:
    """The package cell of each row of README's `| package | why |` table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| package | why |", 1)[1].split("\n\n", 1)[0]
    return [row.split("|")[1].strip() for row in table.strip().splitlines()[1:]]


def test_every_dependency_is_explained_once():
    cells = _first_cells()
    assert len(cells) == len(set(cells)), "a package has two rows"
    explained = {_name(n) for cell in cells for n in cell.replace("(tests)", "").split(",")}
    installed = _installed()
    assert installed - explained == set(), "in pyproject.toml, not in README's dependency table"
    assert explained - installed == set(), "in README's dependency table, not in pyproject.toml"
