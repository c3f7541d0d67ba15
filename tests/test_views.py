"""The analyst views: events_view, members_by_year, officials_appearances, on a small real file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from db import open_database, store_article
from extract.model import Event, Member, Official
from scraper.article import Article, content_hash

ICT = dt.timezone(dt.timedelta(hours=7))


def article(slug: str, day: dt.date) -> Article:
    url = f"https://baothanhhoa.vn/{slug}.htm"
    title, lead, body = f"Tin {slug}", "", "Nội dung hội nghị."
    return Article(
        url, url, "baothanhhoa.vn", title, lead, body, None,
        dt.datetime(day.year, day.month, day.day, 10, tzinfo=ICT), None,
        dt.datetime(day.year, day.month, day.day, 12, tzinfo=ICT),
        content_hash=content_hash(title, lead, body),
    )  # fmt: skip


def cum3(
    day: dt.date | None, covenant: int | None, leader: str, activities: tuple[str, ...], **kw: object
) -> Event:
    return Event(
        activities=activities,
        unit_kind="cụm",
        cluster_number=3,
        cluster_label="Cụm thi đua số 3",
        system="tỉnh Thanh Hóa",
        event_date=day,
        date_text=None,
        covenant_year=covenant,
        location=None,
        members=(Member(leader, "cụm trưởng"), Member("Huyện Nông Cống"), Member("Huyện Triệu Sơn")),
        officials=kw.get("officials", (Official("Lê Văn Hòa", "Phó Chủ tịch UBND tỉnh"),)),  # type: ignore[arg-type]
    )


def build(tmp_path: Path) -> sqlite_utils.Database:
    database = open_database(tmp_path / "t.db")
    d1, d2 = dt.date(2024, 3, 5), dt.date(2025, 3, 6)
    store_article(
        database, article("a", d1), [cum3(d1, 2024, "Huyện Như Thanh", ("signing",))], extractor_version="1"
    )
    store_article(
        database,
        article("b", d2),
        [cum3(d2, 2025, "Huyện Nông Cống", ("signing", "launch"))],
        extractor_version="1",
    )
    second_report = cum3(
        d2, 2025, "huyện Nông Cống", ("signing",),
        officials=(Official("Lê Văn Hoà"), Official("Trần Thị Mai", "Trưởng ban Thi đua - Khen thưởng")),
    )  # fmt: skip
    store_article(database, article("c", d2), [second_report], extractor_version="1")
    # A review of the 2024 covenant held in January 2025: year is the covenant year.
    store_article(
        database, article("d", dt.date(2025, 1, 10)),
        [cum3(dt.date(2025, 1, 9), 2024, "Huyện Như Thanh", ("review",), officials=())],
        extractor_version="1",
    )  # fmt: skip
    return database


def rows(database: sqlite_utils.Database, sql: str) -> list[tuple]:
    return [tuple(r) for r in database.execute(sql).fetchall()]


def test_events_view_has_one_readable_row_per_event(tmp_path: Path) -> None:
    database = build(tmp_path)
    got = rows(
        database,
        "SELECT cluster, system, kind, number, event_date, year, activities, members, officials, "
        "source_urls, article_count FROM events_view ORDER BY event_date",
    )
    assert got == [
        (
            "Cụm thi đua số 3", "tỉnh Thanh Hóa", "cụm", 3, "2024-03-05", 2024, "signing",
            "Huyện Như Thanh (cụm trưởng); Huyện Nông Cống; Huyện Triệu Sơn",
            "Lê Văn Hòa (Phó Chủ tịch UBND tỉnh)", "https://baothanhhoa.vn/a.htm", 1,
        ),
        (
            "Cụm thi đua số 3", "tỉnh Thanh Hóa", "cụm", 3, "2025-01-09", 2024, "review",
            "Huyện Như Thanh (cụm trưởng); Huyện Nông Cống; Huyện Triệu Sơn", None,
            "https://baothanhhoa.vn/d.htm", 1,
        ),
        (
            "Cụm thi đua số 3", "tỉnh Thanh Hóa", "cụm", 3, "2025-03-06", 2025, "signing, launch",
            "Huyện Nông Cống (cụm trưởng); Huyện Triệu Sơn",
            "Lê Văn Hòa (Phó Chủ tịch UBND tỉnh); Trần Thị Mai (Trưởng ban Thi đua - Khen thưởng)",
            "https://baothanhhoa.vn/b.htm https://baothanhhoa.vn/c.htm", 2,
        ),
    ]  # fmt: skip


def test_members_by_year_answers_who_led_the_cluster_each_year(tmp_path: Path) -> None:
    database = build(tmp_path)
    leaders = rows(
        database,
        "SELECT year, cluster, unit, events FROM members_by_year WHERE role = 'cụm trưởng' ORDER BY year",
    )
    assert leaders == [
        (2024, "Cụm thi đua số 3", "Huyện Như Thanh", 2),
        (2025, "Cụm thi đua số 3", "Huyện Nông Cống", 1),
    ]
    members_2025 = rows(database, "SELECT unit, role FROM members_by_year WHERE year = 2025 ORDER BY unit")
    assert members_2025 == [("Huyện Nông Cống", "cụm trưởng"), ("Huyện Triệu Sơn", None)]


def test_officials_appearances_lists_each_event_an_official_attended(tmp_path: Path) -> None:
    database = build(tmp_path)
    got = rows(
        database,
        "SELECT person, title, event_date, cluster, activities, article_url FROM officials_appearances "
        "ORDER BY person, event_date",
    )
    assert got == [
        ("Lê Văn Hòa", "Phó Chủ tịch UBND tỉnh", "2024-03-05", "Cụm thi đua số 3", "signing",
         "https://baothanhhoa.vn/a.htm"),
        ("Lê Văn Hòa", "Phó Chủ tịch UBND tỉnh", "2025-03-06", "Cụm thi đua số 3", "signing, launch",
         "https://baothanhhoa.vn/b.htm"),
        ("Trần Thị Mai", "Trưởng ban Thi đua - Khen thưởng", "2025-03-06", "Cụm thi đua số 3",
         "signing, launch",
         "https://baothanhhoa.vn/b.htm"),
    ]  # fmt: skip


def test_events_view_says_whose_each_cluster_is_and_its_province_and_month(tmp_path: Path) -> None:
    database = build(tmp_path)
    got = rows(
        database,
        "SELECT cluster_title, province, province_named, month FROM events_view ORDER BY event_date",
    )
    assert got == [("Cụm thi đua số 3 — tỉnh Thanh Hóa", "tỉnh Thanh Hóa", "tỉnh Thanh Hóa", m)
                   for m in ("2024-03", "2025-01", "2025-03")]  # fmt: skip
    stored = rows(database, "SELECT DISTINCT province, month FROM events ORDER BY month")
    assert stored == [("tỉnh Thanh Hóa", m) for m in ("2024-03", "2025-01", "2025-03")]


def test_a_systemless_event_takes_its_members_province_the_merged_one_first(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    day = dt.date(2024, 5, 2)
    event = Event(
        activities=("signing",), unit_kind="cụm", cluster_number=2, cluster_label="Cụm thi đua số 2",
        system=None, event_date=day, date_text=None, covenant_year=None, location=None,
        members=(Member("Huyện Đắk Mil", "cụm trưởng"), Member("Huyện Cư Jút")), officials=(),
    )  # fmt: skip
    store_article(database, article("e", day), [event], extractor_version="1")
    assert rows(database, "SELECT province, province_named, month FROM events_view") == [
        ("tỉnh Lâm Đồng", "tỉnh Đắk Nông", "2024-05")
    ]
