"""`yuqing index copy` and `yuqing index migrate` on real stores: SQLite files and the test cluster."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from store import open_store
from store.elastic import ElasticStore
from core.schema import KINDS
from tests.contract import corpus
from tests.support.elastic import client_options, es_url, unique_prefix
from yuqing.cli import app
from yuqing.commands import index as index_command

# Wide enough that rich never folds a table cell.
runner = CliRunner(env={"COLUMNS": "200"})


def _rows(output: str) -> dict[str, list[str]]:
    """Body rows of the rich tables in ``output``, by their first cell."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells and cells[0]:
            rows[cells[0]] = cells
    return rows


@pytest.fixture
def test_cluster_opener(monkeypatch):
    """Open http URLs with the test cluster's client options (the osmem header shim)."""
    opened: list[ElasticStore] = []

    def _open(url, settings):
        if url.startswith("http"):
            store = ElasticStore.from_url(url, **settings.store_options(), **client_options())
            opened.append(store)
            return store
        return open_store(url, **settings.store_options())

    monkeypatch.setattr(index_command, "_open", _open)
    return opened


@pytest.fixture
def es_prefix():
    prefix = unique_prefix("cli")
    yield prefix
    janitor = ElasticStore.from_url(es_url(), index_prefix=prefix, **client_options())
    janitor.drop_everything()
    janitor.close()


def _sqlite_with_corpus(path) -> dict[str, int]:
    store = open_store(f"sqlite:///{path}")
    try:
        return {kind: len(docs) for kind, docs in corpus.load(store).docs.items()}
    finally:
        store.close()


def test_copy_sqlite_to_elastic_and_back_keeps_every_document(tmp_path, test_cluster_opener, es_prefix):
    expected = _sqlite_with_corpus(tmp_path / "first.db")
    es = f"{es_url()}/?prefix={es_prefix}"

    result = runner.invoke(app, ["index", "copy", "--from", f"sqlite:///{tmp_path / 'first.db'}", "--to", es,
                                 "--batch-size", "7"])
    assert result.exit_code == 0, result.output
    assert "now in target" in result.output
    rows = _rows(result.output)
    for kind, n in expected.items():
        assert n > 0
        # read, inserted, updated, unchanged, errors, now in target
        assert rows[kind][1:] == [str(n), str(n), "0", "0", "0", "0", str(n)]  # read, inserted, updated, unchanged, older, errors

    back = tmp_path / "second.db"
    result = runner.invoke(app, ["index", "copy", "--from", es, "--to", f"sqlite:///{back}"])
    assert result.exit_code == 0, result.output

    first, second = open_store(f"sqlite:///{tmp_path / 'first.db'}"), open_store(f"sqlite:///{back}")
    try:
        for kind in KINDS:
            assert second.count(kind) == first.count(kind) == expected[kind]
            assert list(second.iterate(kind)) == list(first.iterate(kind))
    finally:
        first.close()
        second.close()

    # Copying again changes nothing: same ids, same contents.
    result = runner.invoke(app, ["index", "copy", "--from", f"sqlite:///{back}", "--to", es, "--kind", "comment"])
    assert result.exit_code == 0, result.output
    n = str(expected["comment"])
    assert _rows(result.output)["comment"][1:] == [n, "0", "0", n, "0", "0", n]


def test_copy_reports_an_unreachable_target_clearly(tmp_path, test_cluster_opener):
    _sqlite_with_corpus(tmp_path / "a.db")
    result = runner.invoke(app, ["index", "copy", "--from", f"sqlite:///{tmp_path / 'a.db'}",
                                 "--to", "http://127.0.0.1:9/"])
    assert result.exit_code == 1
    assert "copy failed" in result.output and "unreachable" in result.output


def test_copy_refuses_unknown_kinds(tmp_path):
    result = runner.invoke(app, ["index", "copy", "--from", "sqlite:///a.db", "--to", "sqlite:///b.db",
                                 "--kind", "tweet"])
    assert result.exit_code != 0
    assert "tweet" in result.output


def test_migrate_creates_then_reports_unchanged(test_cluster_opener, es_prefix):
    es = f"{es_url()}/?prefix={es_prefix}"
    first = runner.invoke(app, ["index", "migrate", "--store", es])
    assert first.exit_code == 0, first.output
    assert {kind: row[1] for kind, row in _rows(first.output).items() if kind in KINDS} == {k: "created" for k in KINDS}
    again = runner.invoke(app, ["index", "migrate", "--store", es, "--kind", "announcement"])
    assert again.exit_code == 0, again.output
    assert _rows(again.output)["announcement"][1:3] == ["unchanged", f"{es_prefix}-announcement-v1"]


def test_migrate_on_sqlite_explains_there_is_nothing_to_do(tmp_path):
    result = runner.invoke(app, ["index", "migrate", "--store", f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 0
    assert "nothing to migrate" in result.output
    assert {row[1] for kind, row in _rows(result.output).items() if kind in KINDS} == {"unchanged"}


def test_copy_shows_progress_and_keeps_credentials_out_of_its_output(tmp_path, test_cluster_opener, es_prefix):
    expected = _sqlite_with_corpus(tmp_path / "a.db")
    secret = "copy-secret-pw"
    host = es_url().split("://", 1)[1]
    result = runner.invoke(app, ["index", "copy", "--from", f"sqlite:///{tmp_path / 'a.db'}",
                                 "--to", f"http://writer:{secret}@{host}/?prefix={es_prefix}", "--kind", "comment",
                                 "--batch-size", "10"])
    assert result.exit_code == 0, result.output
    n = expected["comment"]
    progress = [line for line in result.output.splitlines() if line.startswith("comment") and "━" in line]
    assert progress and progress[-1].split()[2] == f"{n}/{n}"
    assert secret not in result.output
    assert f"http://***@{host}/?prefix={es_prefix}" in result.output  # the summary's title names the target


def test_serve_get_health_reports_an_unreachable_cluster_and_why(monkeypatch):
    """`yuqing serve --get /health --store http://127.0.0.1:9`: the API starts, says the store is down."""
    import json

    monkeypatch.setenv("YUQING_DEV", "1")
    result = runner.invoke(app, ["serve", "--get", "/health", "--store", "http://elastic:hunter2-pw@127.0.0.1:9"])
    assert result.exit_code == 1, result.output  # /health answers 503: not ready
    assert "HTTP 503" in result.stderr
    health = json.loads(result.stdout)
    assert health["status"] == "degraded" and health["store"]["ok"] is False
    assert health["store"]["backend"] == "elasticsearch"
    assert "127.0.0.1:9" in health["store"]["detail"] and "refused" in health["store"]["detail"].lower()
    assert "hunter2-pw" not in result.output

    query = runner.invoke(app, ["serve", "--get", "/announcements?q=关停", "--store", "http://127.0.0.1:9"])
    assert query.exit_code == 1
    error = json.loads(query.stdout)["error"]
    assert error["code"] == "store_unavailable" and "unreachable" in error["message"]


def test_yuqing_store_in_the_environment_selects_the_backend(monkeypatch, tmp_path):
    import json

    monkeypatch.setenv("YUQING_DEV", "1")
    monkeypatch.setenv("YUQING_STORE", "http://127.0.0.1:9")
    health = json.loads(runner.invoke(app, ["serve", "--get", "/health"]).stdout)
    assert health["store"]["backend"] == "elasticsearch"
    migrate = runner.invoke(app, ["index", "migrate"])
    assert migrate.exit_code == 1 and "unreachable" in migrate.output

    monkeypatch.setenv("YUQING_STORE", f"sqlite:///{tmp_path / 'env.db'}")
    health = json.loads(runner.invoke(app, ["serve", "--get", "/health"]).stdout)
    assert health["store"]["backend"] == "sqlite" and health["status"] == "ok"
    # --store wins over the environment
    override = json.loads(runner.invoke(app, ["serve", "--get", "/health", "--store", "http://127.0.0.1:9"]).stdout)
    assert override["store"]["backend"] == "elasticsearch"


def test_without_batch_size_a_copy_writes_larger_batches_into_sqlite(tmp_path, test_cluster_opener, es_prefix,
                                                                     monkeypatch):
    """Into SQLite, a transaction per 5,000 documents (each commit rewrites the pages its batch
    shares); into Elasticsearch, its bulk chunk of 500; --batch-size overrides both."""
    _sqlite_with_corpus(tmp_path / "first.db")
    es = f"{es_url()}/?prefix={es_prefix}"
    asked: list[tuple[str, int]] = []
    real = index_command.copy_documents

    def spy(source, target, kinds, batch_size, **kwargs):
        asked.append((type(target).__name__, batch_size))
        return real(source, target, kinds, batch_size, **kwargs)

    monkeypatch.setattr(index_command, "copy_documents", spy)
    for args in (["--from", f"sqlite:///{tmp_path / 'first.db'}", "--to", es],
                 ["--from", es, "--to", f"sqlite:///{tmp_path / 'second.db'}"],
                 ["--from", es, "--to", f"sqlite:///{tmp_path / 'third.db'}", "--batch-size", "7"]):
        result = runner.invoke(app, ["index", "copy", *args])
        assert result.exit_code == 0, result.output
    assert asked == [("ElasticStore", index_command.COPY_BATCH), ("SQLiteStore", index_command.SQLITE_COPY_BATCH),
                     ("SQLiteStore", 7)]
    assert index_command.SQLITE_COPY_BATCH > index_command.COPY_BATCH
