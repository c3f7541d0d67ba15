"""Analysts' overrides: merges (aliases) and corrections survive re-extraction; thidua merge/correct."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from db import open_database, store_article
from db.errors import OverrideError
from db.overrides import correct, merge
from extract.model import Event, Member, Official
from scraper.article import Article, content_hash
from thidua.app import reextract
from thidua.cli import cli

ICT = dt.timezone(dt.timedelta(hours=7))
D = dt.date(2025, 3, 6)
NOW = "2026-03-01T00:00:00+00:00"


def article(slug: str, day: dt.date = D) -> Article:
    url = f"https://baonghean.vn/{slug}.html"
    title, body = f"Cụm thi đua {slug}", f"Nội dung {slug}."
    return Article(
        url, url, "baonghean.vn", title, "", body, None,
        dt.datetime(day.year, day.month, day.day, 9, tzinfo=ICT), None,
        dt.datetime(day.year, day.month, day.day, 10, tzinfo=ICT),
        content_hash=content_hash(title, "", body),
    )  # fmt: skip


def meeting(label: str, number: int | None, day: dt.date, member: str, person: str) -> Event:
    return Event(
        activities=("signing",), unit_kind="cụm", cluster_number=number, cluster_label=label,
        system="tỉnh Nghệ An", event_date=day, date_text=None, covenant_year=None, location=None,
        members=(Member(member, "cụm trưởng"), Member("Huyện Yên Thành")), officials=(Official(person),),
    )  # fmt: skip


EVENTS = {
    "one": [meeting("Cụm thi đua số 3", 3, D, "Huyện Diễn Châu", "Nguyễn Văn An")],
    # The same cluster under a name extraction cannot tie to its number, a year later.
    "two": [meeting("Cụm thi đua các huyện đồng bằng", None, dt.date(2026, 3, 5), "H. Diễn Châu",
                    "Nguyễn V. An")],
}  # fmt: skip


def built(tmp_path: Path) -> tuple[Path, sqlite_utils.Database]:
    path = tmp_path / "t.db"
    database = open_database(path)
    for slug, found in EVENTS.items():
        store_article(database, article(slug), found, extractor_version="1")
    return path, database


def same_again(
    text: str, published: object, *, source: str | None = None, site_system: str | None = None
) -> list[Event]:
    """Extraction that finds what was stored, from the article's own body (so reextract recomputes)."""
    return list(EVENTS["one" if "one" in text else "two"])


def ids(database: sqlite_utils.Database, table: str, where: str) -> list[int]:
    return [int(r[0]) for r in database.execute(f"SELECT id FROM {table} WHERE {where} ORDER BY id")]


def test_merges_and_corrections_survive_reextract(tmp_path: Path) -> None:
    path, database = built(tmp_path)
    (numbered,) = ids(database, "clusters", "number = 3")
    (named,) = ids(database, "clusters", "number IS NULL")
    (unit_full,) = ids(database, "units", "name = 'Huyện Diễn Châu'")
    (unit_short,) = ids(database, "units", "name = 'H. Diễn Châu'")
    (person_full,) = ids(database, "people", "name = 'Nguyễn Văn An'")
    (person_short,) = ids(database, "people", "name = 'Nguyễn V. An'")
    done = merge(database, "cluster", named, numbered, made_at=NOW)
    assert (done.from_name, done.into_name, done.events) == (
        "Cụm thi đua các huyện đồng bằng", "Cụm thi đua số 3", 2,
    )  # fmt: skip
    merge(database, "unit", unit_short, unit_full, made_at=NOW)
    merge(database, "person", person_short, person_full, made_at=NOW)
    (first,) = ids(database, "events", "event_date = '2025-03-06'")
    assert correct(database, first, "event_date", "2025-03-07", made_at=NOW) == "2025-03-07"
    correct(database, first, "location", "Hội trường UBND huyện Yên Thành", made_at=NOW)

    def view() -> list[tuple]:
        return [
            tuple(r)
            for r in database.execute(
                "SELECT cluster_id, event_date, month, location, members, officials FROM events_view "
                "ORDER BY event_date"
            )
        ]

    expected = [
        (numbered, "2025-03-07", "2025-03", "Hội trường UBND huyện Yên Thành",
         "Huyện Diễn Châu (cụm trưởng); Huyện Yên Thành", "Nguyễn Văn An"),
        (numbered, "2026-03-05", "2026-03", None, "Huyện Diễn Châu (cụm trưởng); Huyện Yên Thành",
         "Nguyễn Văn An"),
    ]  # fmt: skip
    assert view() == expected
    database.close()
    result = reextract(path, force=True, extract=same_again, version="2")
    assert result.articles == 2
    database = open_database(path)
    assert view() == expected
    assert ids(database, "clusters", "1") == [numbered]
    assert database.execute("SELECT count(*) FROM aliases").fetchone()[0] == 3


def test_a_second_merge_carries_the_first_along(tmp_path: Path) -> None:
    _, database = built(tmp_path)
    (a,) = ids(database, "units", "name = 'H. Diễn Châu'")
    (b,) = ids(database, "units", "name = 'Huyện Diễn Châu'")
    (c,) = ids(database, "units", "name = 'Huyện Yên Thành'")
    merge(database, "unit", a, b, made_at=NOW)
    merge(database, "unit", b, c, made_at=NOW)  # a deliberately silly merge: both now point at c
    assert {r[0] for r in database.execute("SELECT into_id FROM aliases WHERE kind = 'unit'")} == {c}
    store_article(database, article("three"), EVENTS["two"], extractor_version="1")
    assert ids(database, "units", "1") == [c]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda db: merge(db, "unit", 999, 1, made_at=NOW), "there is no unit 999"),
        (lambda db: merge(db, "unit", 1, 1, made_at=NOW), "cannot be merged into itself"),
        (lambda db: merge(db, "event", 1, 2, made_at=NOW), "the kinds are cluster, unit, person"),
        (lambda db: correct(db, 999, "location", "x", made_at=NOW), "there is no event 999"),
        (lambda db: correct(db, 1, "cluster_id", "2", made_at=NOW), "cannot correct 'cluster_id'"),
        (lambda db: correct(db, 1, "event_date", "6/3/2025", made_at=NOW), "YYYY-MM-DD"),
        (lambda db: correct(db, 1, "activities", "signing, party", made_at=NOW), "party unknown"),
        (lambda db: correct(db, 1, "province", "Atlantis", made_at=NOW), "is not a province"),
    ],
)
def test_bad_overrides_are_refused_and_change_nothing(tmp_path: Path, call: object, message: str) -> None:
    _, database = built(tmp_path)
    before = list(database.conn.iterdump())
    with pytest.raises(OverrideError, match=message):
        call(database)  # type: ignore[operator]
    assert list(database.conn.iterdump()) == before


def test_merge_and_correct_on_the_command_line(tmp_path: Path) -> None:
    path, database = built(tmp_path)
    (event,) = ids(database, "events", "event_date = '2025-03-06'")
    (a,) = ids(database, "units", "name = 'H. Diễn Châu'")
    (b,) = ids(database, "units", "name = 'Huyện Diễn Châu'")
    database.close()
    runner = CliRunner()
    done = runner.invoke(cli, ["merge", "unit", str(a), str(b), "--db", str(path)])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == f"merged unit {a} (H. Diễn Châu) into {b} (Huyện Diễn Châu): 2 events"
    done = runner.invoke(cli, ["correct", str(event), "province", "Đắk Nông", "--db", str(path)])
    assert done.exit_code == 0 and done.stdout.strip() == f"event {event}: province = tỉnh Đắk Nông"
    with sqlite_utils.Database(path) as check:
        row = check.execute("SELECT province, province_named FROM events WHERE id = ?", [event]).fetchone()
    assert tuple(row) == ("tỉnh Lâm Đồng", "tỉnh Đắk Nông")
    done = runner.invoke(cli, ["correct", str(event), "province", "--clear", "--db", str(path)])
    assert done.exit_code == 0
    with sqlite_utils.Database(path) as check:
        assert (
            check.execute("SELECT province FROM events WHERE id = ?", [event]).fetchone()[0] == "tỉnh Nghệ An"
        )
    for args in (
        ["merge", "unit", "999", str(b)],
        ["correct", "999", "location", "x"],
        ["correct", str(event), "event_date", "hôm qua"],
        ["correct", str(event), "location"],
        ["correct", str(event), "location", "--clear"],
    ):
        done = runner.invoke(cli, [*args, "--db", str(path)])
        assert done.exit_code == 2, (args, done.output)
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("thidua: error: "), done.stderr
    assert runner.invoke(cli, ["merge", "event", "1", "2", "--db", str(path)]).exit_code == 2
