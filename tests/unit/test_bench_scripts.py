"""Smoke runs of the store and crawl benchmarks (``--quick --no-write``): they finish, every
figure is a positive number, and the printed table names every measurement. No timing
assertions: how fast is what BENCHMARKS.md records, not what tests decide."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from bench import api as api_bench
from bench import crawl as crawl_bench
from bench import report
from bench import store as store_bench


@pytest.fixture(autouse=True)
def never_write_benchmarks(monkeypatch):
    """--no-write must keep BENCHMARKS.md as it is; fail loudly if a script tries anyway."""

    def refuse(*args, **kwargs):
        raise AssertionError("a smoke run tried to write BENCHMARKS.md")

    monkeypatch.setattr(report, "write_section", refuse)
    monkeypatch.setattr(store_bench, "write_section", refuse)


def positive(value: float) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and value > 0


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows of the output: first cell -> the other cells."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            rows[cells[0]] = cells[1:]
    return rows


def numbers(cell: str) -> list[float]:
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", cell)]


def test_store_bench_quick_run_measures_everything(capsys):
    results = store_bench.main(["--quick", "--no-write"])
    out = capsys.readouterr().out

    assert len(results) == 1
    r = results[0]
    for name in ("upsert_comments_per_s", "upsert_announcements_per_s", "reupsert_per_s", "bytes_per_doc",
                 "bytes_per_announcement", "bytes_per_comment", "file_mb", "peak_rss_mb"):
        assert positive(getattr(r, name)), (name, getattr(r, name))
    shares = (r.shares.documents, r.shares.values, r.shares.fulltext)
    assert all(positive(x) for x in shares) and sum(shares) <= 1.0 + 1e-9, r.shares
    assert r.reupsert_unchanged == r.comments  # every re-sent comment was recognised as unchanged
    timings = r.searches + r.summaries + [t for b in r.baselines for t in (b.store, b.like, b.count_only)]
    for t in timings:
        assert positive(t.p50_ms) and t.p95_ms >= t.p50_ms, t
        assert t.hits > 0, t  # every query finds something, so its latency means something
    for b in r.baselines:
        # The bigram index finds what a substring scan finds.
        assert b.store.hits == b.like.hits == b.count_only.hits, b
        assert positive(b.ratio)

    rows = table_rows(out)
    expected = ["upsert comments, docs/s (batches of 500)", "re-upsert unchanged comments, docs/s",
                "file size per document, bytes", "… per notice / per comment, bytes",
                "share of the file: documents / filter values / full text", "peak RSS after indexing, MB",
                "comments by city", "comments by theme", "notices by city"]
    expected += [t.name for t in r.searches]
    for term in store_bench.TWO_CHAR_TERMS:
        expected += [f"`{term}` store (`Store.search`)", f"`{term}` … of which the count (`Store.count`)",
                     f"`{term}` `LIKE '%{term}%'` scan", f"`{term}` LIKE ÷ store"]
    for label in expected:
        assert label in rows, f"{label!r} missing from the output"
        assert numbers(rows[label][0]) and all(n > 0 for n in numbers(rows[label][0])), (label, rows[label])
    assert "load average" in out


def test_crawl_bench_quick_run_measures_everything(capsys):
    pairs = crawl_bench.main(["--quick", "--no-write"])
    out = capsys.readouterr().out

    assert [off.spider for off, _ in pairs] == ["news"]
    off, full = pairs[0]
    assert (off.pipelines, full.pipelines) == (False, True)
    for run in (off, full):
        for name in ("pages", "items", "seconds", "wall_seconds", "pages_per_s", "items_per_s"):
            assert positive(getattr(run, name)), (run.pipelines, name, getattr(run, name))
    # Only the pipeline run analyses and stores; its timing pipelines recorded what they did.
    for name in ("warm_up", "comments", "comment_seconds", "analyse_seconds", "store_seconds"):
        assert positive(getattr(full, name)), (name, getattr(full, name))
        assert getattr(off, name) == 0, (name, getattr(off, name))
    assert full.comments <= full.items

    # Two runs (without and with pipelines) and their comparison.
    assert sum(line.startswith("| news |") for line in out.splitlines()) == 3
    for words in ("pages/s", "items/s", "full ÷ off (seconds)", "comments/s in analysis", "in analysis, s",
                  "in storage, s", "`ITEM_PIPELINES={}`", "full pipeline → SQLite", "warm-up",
                  "DOWNLOAD_DELAY=0", "AUTOTHROTTLE off", "load average"):
        assert words in out, f"{words!r} missing from the output"
    ratio = re.search(r"\| news \| \*\*([\d.]+)×\*\*", out)
    assert ratio and float(ratio.group(1)) > 0


def test_api_bench_quick_run_serves_every_route_on_both_backends(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(api_bench, "CACHE", tmp_path)
    monkeypatch.setattr(api_bench, "write_section", report.write_section)
    tree = Path(api_bench.__file__).resolve().parent.parent  # this tree stands in for an earlier one
    runs = api_bench.main(["--quick", "--no-write", "--elastic-sizes", "300", "--before", str(tree)])
    out = capsys.readouterr().out
    assert [r.backend for r in runs] == ["sqlite", "osmem"]
    assert positive(runs[0].build["bulk_append_per_s"]) and "a bulk load" in out
    assert positive(runs[0].build["append_per_s_before"]) and positive(runs[0].build["bulk_append_per_s_before"])
    assert out.count("written by the tree before") == 2
    assert positive(runs[0].build["notices_append_per_s"]) and "new notices upserted into the store" in out
    assert "- build ≥ 5,000 docs/s, new comments upserted in batches of 5,000" in out
    rows = table_rows(out)
    for group, label, path in api_bench.ROUTES:
        for r in runs:
            for clients in (1, api_bench.CLIENTS):
                t = r.timings[(label, clients)]
                assert positive(t.p50) and t.p95 >= t.p50 and not t.errors, (r.backend, label, clients, t)
        cells = rows[f"{group}: {label} (`{path.split('?')[0]}`)"]
        assert len(cells) == 2 * len(runs) and all(len(numbers(c)) == 2 for c in cells), cells
    for r in runs:
        assert positive(r.rss_mb) and positive(r.build["comments_per_s"]) and positive(r.build["announcements_per_s"])
    assert list(tmp_path.glob("api-2000-*.db")), "the SQLite store is cached where CACHE says"


def test_serving_bench_quick_run_measures_both_stacks_on_every_summary(capsys, tmp_path, monkeypatch):
    from bench import serving

    monkeypatch.setattr(api_bench, "CACHE", tmp_path)
    monkeypatch.setattr(serving, "write_section", report.write_section)
    result = serving.main(["--quick", "--no-write"])
    out = capsys.readouterr().out
    summaries = [label for group, label, _ in api_bench.ROUTES if group == "summary"]
    assert set(result["figures"]) == {(stack, label) for stack in serving.STACKS for label in summaries}
    for (stack, label), rounds in result["figures"].items():
        [(p50, p95, cpu_ms)] = rounds
        assert positive(p50) and p95 >= p50 and cpu_ms >= 0, (stack, label, rounds)
    for stack in serving.STACKS:  # CPU is counted in clock ticks: a few requests may round to 0
        assert positive(sum(result["figures"][(stack, label)][0][2] for label in summaries)), stack
    rows = table_rows(out)
    assert all(len(numbers(" ".join(rows[label]))) == 3 * len(serving.STACKS) for label in summaries)
    assert "Median over the routes: CPU per request" in out


def test_analysis_cost_quick_run_prints_a_row_per_length(capsys):
    from bench import analysis_cost

    analysis_cost.main(["--quick", "--no-write"])
    rows = table_rows(capsys.readouterr().out)
    assert [r for r in rows if r[:1].isdigit()] == [f"{n:,}" for n in analysis_cost.QUICK_LENGTHS]
    for length in analysis_cost.QUICK_LENGTHS:
        assert all(positive(float(cell)) for cell in rows[f"{length:,}"])
