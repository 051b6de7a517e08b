"""`yuqing schedule`'s jobs file and runner, and what `yuqing crawl` exits with."""

from __future__ import annotations

import sys
from datetime import date

import pytest
from typer.testing import CliRunner

from yuqing.cli import app as cli_app
from yuqing.exit_codes import COMPLETE, COMPLETED_WITH_ERRORS, crawl_outcome
from yuqing.scheduling import JOBS_FILE, Job, JobRunner, JobsError, load_jobs, parse_duration


def test_the_shipped_jobs_file_loads():
    jobs = load_jobs(JOBS_FILE)
    assert [j.name for j in jobs] == ["gov", "weibo"]
    assert jobs[0].cron and jobs[1].interval_s == 6 * 3600 and jobs[0].jitter_s == 300
    # A relative --since is resolved on the day a run starts.
    assert jobs[1].command(date(2024, 5, 10))[-1] == "2024-05-08"
    assert jobs[1].command(date(2024, 5, 10))[:3] == [sys.executable, "-m", "yuqing.cli"]


@pytest.mark.parametrize("text, message", [
    ("jobs: []", "has no `jobs:` list"),
    ("jobs:\n  - name: a\n    args: [crawl, gov]\n", "exactly one of `cron` or `interval`"),
    ("jobs:\n  - name: a\n    args: [crawl, gov]\n    interval: 6x\n", "not a duration"),
    ("jobs:\n  - name: a\n    args: [crawl, gov]\n    cron: '61 * * * *'\n", "not a five-field crontab"),
    ("jobs:\n  - name: a\n    args: crawl gov\n    interval: 1h\n", "needs `args`"),
    ("jobs:\n  - name: a\n    args: [x]\n    interval: 1h\n  - name: a\n    args: [x]\n    interval: 1h\n",
     "named twice"),
])
def test_a_bad_jobs_file_is_one_clear_line(tmp_path, text, message):
    path = tmp_path / "jobs.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JobsError) as caught:
        load_jobs(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)
    result = CliRunner().invoke(cli_app, ["schedule", "--jobs", str(path)])
    assert result.exit_code == 2


def test_durations():
    assert [parse_duration(v) for v in ("30s", "15m", "6h", "1d", 90)] == [30, 900, 21600, 86400, 90]
    with pytest.raises(JobsError):
        parse_duration("0h")


def test_the_runner_reports_a_failing_job_and_goes_on(tmp_path, caplog):
    runner = JobRunner(log_dir=tmp_path / "logs")
    bad = Job("bad", ("crawl", "gov", "--start-url", "not-a-url"), interval_s=60)
    good = Job("version", ("--version",), interval_s=60)
    with caplog.at_level("INFO", logger="yuqing.schedule"):
        assert runner.run(bad) == 2
        assert runner.run(good) == 0
    assert "job bad: exit 2 (bad arguments)" in caplog.text and "job version: exit 0 (complete)" in caplog.text
    assert "not an http(s) URL" in (tmp_path / "logs" / "bad.log").read_text(encoding="utf-8")
    assert [(r.job, r.code) for r in runner.history] == [("bad", 2), ("version", 0)]


def test_once_exits_with_the_worst_code(tmp_path):
    path = tmp_path / "jobs.yaml"
    path.write_text("jobs:\n  - name: v\n    args: ['--version']\n    interval: 1h\n"
                    "  - name: bad\n    args: [crawl, gov, --start-url, nope]\n    interval: 1h\n", encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["schedule", "--once", "--jobs", str(path)])
    assert result.exit_code == 2


STORED = {"yuqing/stored/announcement/inserted": 3, "finish_reason": "finished"}


@pytest.mark.parametrize("stats, code, reason", [
    (STORED, COMPLETE, None),
    ({"yuqing/stored/announcement/unchanged": 3, "finish_reason": "finished"}, COMPLETE, None),
    ({"yuqing/incremental/not_modified": 5, "finish_reason": "finished"}, COMPLETE, None),
    ({**STORED, "log_count/ERROR": 2}, COMPLETED_WITH_ERRORS, "2 errors were logged"),
    ({**STORED, "yuqing/blocked/captcha": 1}, COMPLETED_WITH_ERRORS, "1 blocks"),
    ({**STORED, "yuqing/unsaved/comment": 7, "yuqing/spill_file": "data/unsaved/x.jsonl"}, COMPLETED_WITH_ERRORS,
     "7 documents went to the spill file data/unsaved/x.jsonl"),
    ({"yuqing/stored/crawl_run/inserted": 1, "finish_reason": "finished"}, COMPLETED_WITH_ERRORS,
     "nothing was stored"),
    ({**STORED, "finish_reason": "shutdown"}, COMPLETED_WITH_ERRORS, "ended with 'shutdown'"),
])
def test_crawl_exit_codes(stats, code, reason):
    outcome = crawl_outcome(stats)
    assert outcome.code == code
    if reason:
        assert any(reason in r for r in outcome.reasons), outcome.reasons


@pytest.mark.parametrize("store", ["mysql://x", "sqlite:///{file}/under/a/file.db"])
def test_a_store_that_cannot_be_used_is_one_line_and_exit_3_before_any_request(tmp_path, store):
    regular = tmp_path / "regular-file"
    regular.write_text("not a folder")
    url = store.format(file=regular)
    # The start URL is never asked for: nothing listens on port 9.
    result = CliRunner().invoke(cli_app, ["crawl", "gov", "--start-url", "http://127.0.0.1:9/", "--store", url])
    assert result.exit_code == 3
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: store ") and lines[0].endswith("nothing was crawled.")
    assert "Traceback" not in result.output
