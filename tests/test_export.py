"""thidua export: events as JSON lines (nested), CSV (flat) and Parquet (typed), from a real file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from db.export import COLUMNS
from tests import dbfixture as fx
from thidua import app
from thidua.cli import cli


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fx.build_fixture_db(tmp_path_factory.mktemp("export") / "thidua.db")


def stored(db_path: Path) -> dict[int, dict[str, object]]:
    """Every event as the tables hold it: date, cluster label, members with roles, officials."""
    with sqlite3.connect(db_path) as conn:
        events = {
            row[0]: {"event_date": row[1], "cluster": row[2], "members": [], "officials": []}
            for row in conn.execute(
                "SELECT e.id, e.event_date, c.label FROM events e JOIN clusters c ON c.id = e.cluster_id"
            )
        }
        for event_id, name, role in conn.execute(
            "SELECT m.event_id, u.name, m.role FROM event_members m JOIN units u ON u.id = m.unit_id "
            "ORDER BY m.event_id, m.position"
        ):
            events[event_id]["members"].append({"name": name, "role": role})  # type: ignore[attr-defined]
        for event_id, name, title in conn.execute(
            "SELECT o.event_id, p.name, o.title FROM event_officials o JOIN people p ON p.id = o.person_id "
            "ORDER BY o.event_id, o.position"
        ):
            events[event_id]["officials"].append({"name": name, "title": title})  # type: ignore[attr-defined]
    return events


def test_jsonl_nests_members_and_officials(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    count = app.export(db_path, out, fmt="jsonl")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    expected = stored(db_path)
    assert count == len(records) == len(expected) > 0
    for record in records:
        want = expected[record["event_id"]]
        assert record["event_date"] == want["event_date"]
        assert record["cluster"] == want["cluster"]
        assert record["members"] == want["members"]
        assert record["officials"] == want["officials"]
        assert record["article_urls"] and all(u.startswith("http") for u in record["article_urls"])
    dated = [r["event_date"] for r in records if r["event_date"]]
    assert dated == sorted(dated)


def test_csv_is_flat_with_one_cell_per_list(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    app.export(db_path, out, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    expected = stored(db_path)
    for row in rows:
        want = expected[int(row["event_id"])]
        members = want["members"]
        assert isinstance(members, list)
        assert row["members"] == "; ".join(
            f"{m['name']} ({m['role']})" if m["role"] else m["name"] for m in members
        )


def test_parquet_is_typed_for_pandas_and_duckdb(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    count = app.export(db_path, out, fmt="parquet")
    table = pq.read_table(out)
    assert table.num_rows == count == len(stored(db_path))
    assert table.schema.field("event_date").type == pa.date32()
    assert table.schema.field("members").type == pa.list_(
        pa.struct([("name", pa.string()), ("role", pa.string())])
    )
    rows = table.to_pylist()
    expected = stored(db_path)
    for row in rows:
        want = expected[row["event_id"]]
        assert row["members"] == want["members"]
        assert (row["event_date"].isoformat() if row["event_date"] else None) == want["event_date"]


def test_since_keeps_later_events_only(db_path: Path, tmp_path: Path) -> None:
    dates = sorted(str(e["event_date"]) for e in stored(db_path).values() if e["event_date"])
    cut = dt.date.fromisoformat(dates[len(dates) // 2])
    out = tmp_path / "later.jsonl"
    app.export(db_path, out, fmt="jsonl", since=cut)
    got = [json.loads(line)["event_date"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert got == [d for d in dates if d >= cut.isoformat()]


def test_the_command_writes_to_stdout_and_refuses_binary_there(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "-", "--format", "csv", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == ",".join(COLUMNS)
    assert len(result.stdout.splitlines()) == 1 + len(stored(db_path))
    refused = CliRunner().invoke(cli, ["export", "-", "--format", "parquet", "--db", str(db_path)])
    assert refused.exit_code == 2
    assert refused.output.strip() == "thidua: error: Parquet is a binary file format: give a file name, not -"
