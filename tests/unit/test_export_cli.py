"""`yuqing export` on a real SQLite file: JSON Lines and CSV files, filters, provenance, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from api.exporting import columns
from store import open_store
from store.errors import StoreUnavailable
from tests.api.factories import Corpus, build_corpus, filled_store
from core import __version__
from yuqing.cli import app
from yuqing.commands import export as export_command

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> tuple[str, Corpus]:
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'export.db'}"
    corpus = build_corpus()
    filled_store(url, corpus).close()
    return url, corpus


def test_jsonl_to_a_file_with_filters(filled, tmp_path):
    url, corpus = filled
    out = tmp_path / "xian.jsonl"
    result = runner.invoke(app, ["export", "comment", "--store", url, "--city", "西安市", "--stance", "oppose",
                                 "--date-from", "2024-05-12", "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = sorted(c["id"] for c in corpus.comments
                      if c["city"] == "西安市" and c["stance"] == "oppose" and c["created_at"][:10] >= "2024-05-12")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    meta = lines[0]["_meta"]
    assert meta["kind"] == "comment" and meta["count"] == len(expected) and meta["yuqing_version"] == __version__
    assert meta["query"] == {"filters": {"city": "西安市", "stance": "oppose"}, "date_from": "2024-05-12"}
    assert [r["id"] for r in lines[1:]] == expected and expected
    assert all(r["url"].startswith("http://127.0.0.1:8765/") and "author_hash" in r for r in lines[1:])
    assert f"exported {len(expected)} comments" in result.output
    assert not out.with_name(out.name + ".part").exists()


def test_csv_to_a_file_has_bom_columns_and_a_provenance_sidecar(filled, tmp_path):
    url, corpus = filled
    out = tmp_path / "notices.csv"
    result = runner.invoke(app, ["export", "announcement", "--format", "csv", "--theme", "formalism",
                                 "--store", url, "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    expected = sorted((a for a in corpus.announcements if "formalism" in a["themes"]), key=lambda a: a["id"])
    assert [r["id"] for r in rows] == [a["id"] for a in expected]
    assert list(rows[0]) == columns("announcement")
    assert [r["themes"] for r in rows] == ["|".join(a["themes"]) for a in expected]
    sidecar = json.loads((tmp_path / "notices.csv.meta.json").read_text(encoding="utf-8"))
    assert sidecar["query"] == {"filters": {"themes": "formalism"}} and sidecar["count"] == len(expected)


def test_stdout_export(filled):
    url, corpus = filled
    result = runner.invoke(app, ["export", "account", "--store", url, "--platform", "douyin"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records[0]["_meta"]["kind"] == "account"
    expected = sorted(a["id"] for a in corpus.accounts if a["platform"] == "douyin")
    assert [r["id"] for r in records[1:]] == expected and expected
    notices = {a["id"]: a["url"] for a in corpus.announcements}
    assert all(r["url"] == notices[r["announcement_id"]] for r in records[1:])


@pytest.mark.parametrize("args,complaint", [
    (["export", "tweet"], "choose one of announcement"),
    (["export", "announcement", "--stance", "oppose"], "--stance: not a filter of announcement"),
    (["export", "comment", "--sentiment-label", "angry"], "--sentiment-label"),
    (["export", "comment", "--date-from", "2024-06-01", "--date-to", "2024-05-01"], "after date_to"),
    (["export", "comment", "--format", "xlsx"], "choose jsonl or csv"),
])
def test_bad_arguments_are_explained(filled, args, complaint):
    url, _ = filled
    result = runner.invoke(app, [*args, "--store", url])
    assert result.exit_code == 2
    assert complaint in " ".join(result.output.replace("│", " ").split())


def test_a_failing_store_leaves_no_file(filled, tmp_path, monkeypatch):
    url, _ = filled

    class FailingMidway:
        """A real store whose iteration breaks after the first document (a lost connection)."""

        def __init__(self, inner):
            self.inner = inner

        def iterate(self, kind, query=None, batch_size=500):
            for i, doc in enumerate(self.inner.iterate(kind, query, batch_size=batch_size)):
                if i == 1:
                    raise StoreUnavailable("connection lost")
                yield doc

        def __getattr__(self, name):
            return getattr(self.inner, name)

    monkeypatch.setattr(export_command, "_open", lambda u, settings: FailingMidway(open_store(u)))
    out = tmp_path / "broken.jsonl"
    result = runner.invoke(app, ["export", "comment", "--store", url, "--out", str(out)])
    assert result.exit_code == 1 and "connection lost" in result.output
    assert not out.exists() and not out.with_name(out.name + ".part").exists()


def test_help_explains_the_options():
    result = runner.invoke(app, ["export", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--out", "--city", "--date-from", "--store", "Example"):
        assert option in result.output


def test_an_existing_file_is_not_overwritten_without_force(filled, tmp_path):
    url, _ = filled
    out = tmp_path / "mine.csv"
    out.write_text("a researcher's own work\n", encoding="utf-8")
    refused = runner.invoke(app, ["export", "comment", "--store", url, "--format", "csv", "--out", str(out)])
    assert refused.exit_code == 2 and "--force" in refused.output
    assert out.read_text(encoding="utf-8") == "a researcher's own work\n"
    # The CSV's provenance sidecar is protected the same way.
    fresh = tmp_path / "fresh.csv"
    fresh.with_name("fresh.csv.meta.json").write_text("{}", encoding="utf-8")
    assert runner.invoke(app, ["export", "comment", "--store", url, "--format", "csv", "--out", str(fresh)]).exit_code == 2
    assert not fresh.exists()
    forced = runner.invoke(app, ["export", "comment", "--store", url, "--format", "csv", "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    replaced = out.read_text(encoding="utf-8-sig")
    assert "a researcher" not in replaced and replaced.splitlines()[0].split(",")[0] == columns("comment")[0]
