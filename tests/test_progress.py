"""The progress of runs over files (backfill, reparse): the tally's lines, and what cron sees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from thidua.progress import FileTally, files_display


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("files", "seconds", "expected"),
    [
        (
            [(2000, 4, 3)],
            0.5,
            "file 1/3 CC-NEWS-1.warc.gz: records 2000 · total: 2,000 records (4,000/s), articles 4, events 3",
        ),
        (
            [(2000, 4, 3), (6000, 0, 0)],
            4.0,
            "file 2/3 CC-NEWS-1.warc.gz: records 6000 · total: 8,000 records (2,000/s), articles 4, events 3",
        ),
        (
            [(10, 1, 1)],
            0.0,
            "file 1/3 CC-NEWS-1.warc.gz: records 10 · total: 10 records (0/s), articles 1, events 1",
        ),
    ],
)
def test_a_file_line(files: list[tuple[int, int, int]], seconds: float, expected: str) -> None:
    clock = Clock()
    tally = FileTally(total=3, clock=clock)
    for records, articles, events in files:
        tally.add(records, articles, events)
    clock.now += seconds
    last = files[-1][0]
    assert tally.line("s3://bucket/crawl-data/CC-NEWS-1.warc.gz", f"records {last}") == expected


def test_the_display_is_a_no_op_off_a_terminal() -> None:
    with files_display(enabled=False) as show:
        show(FileTally(total=1))  # nothing to see, nothing raised
    with files_display(enabled=True) as show:  # a rich bar (written to this test's captured stdout)
        tally = FileTally(total=2)
        tally.add(5, 1, 1)
        show(tally)


def test_under_cron_backfill_logs_one_line_per_file_and_a_summary(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from tests.test_backfill import good_file, second_file
    from thidua.cli import cli

    folder = tmp_path / "warcs"
    folder.mkdir()
    good_file(folder / "a.warc.gz")
    second_file(folder / "b.warc.gz")
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[[site]]\nname = "tinh"\nhosts = ["baotinh.vn", "huyen.gov.vn"]\nstart = ["https://baotinh.vn/"]\n',
        encoding="utf-8",
    )
    database = tmp_path / "t.db"
    result = CliRunner().invoke(cli, ["backfill", str(folder), "--db", str(database), "--sites", str(sites)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if " file " in f" {line}"]
    assert len(lines) == 2
    assert (
        "file 1/2 a.warc.gz: records 8, kept 4, pages 2, articles 1, events 1 · total: 8 records" in lines[0]
    )
    assert "file 2/2 b.warc.gz: records 1, kept 1" in lines[1] and "articles 2, events 2" in lines[1]
    assert "backfill run 1 done: pages fetched 3, new articles 2" in result.output
    with sqlite3.connect(database) as raw:
        assert raw.execute("SELECT command, status FROM runs").fetchall() == [("backfill", "ok")]
