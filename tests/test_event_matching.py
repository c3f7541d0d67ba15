"""The same meeting from two sites is one event (db/matching.py), in whatever order they are stored."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlite_utils

from db import open_database, store_article
from extract.model import Event, Member
from scraper.article import Article, content_hash

ICT = dt.timezone(dt.timedelta(hours=7))
D = dt.date(2025, 3, 6)


def article(host: str, slug: str, published: dt.date) -> Article:
    url = f"https://{host}/{slug}.htm"
    title, lead, body = f"Tin {slug}", "", f"Nội dung {slug}."
    return Article(
        url, url, host, title, lead, body, None,
        dt.datetime(published.year, published.month, published.day, 18, tzinfo=ICT), None,
        dt.datetime(published.year, published.month, published.day, 20, tzinfo=ICT),
        content_hash=content_hash(title, lead, body),
    )  # fmt: skip


def cum3(
    day: dt.date | None,
    *,
    label: str = "Cụm thi đua số 3",
    system: str | None = "tỉnh Lâm Đồng",
    members: tuple[str, ...] = ("Huyện Đức Trọng", "Huyện Di Linh"),
    activities: tuple[str, ...] = ("signing",),
) -> Event:
    return Event(
        activities=activities, unit_kind="cụm", cluster_number=3, cluster_label=label, system=system,
        event_date=day, date_text=None, covenant_year=None, location=None,
        members=tuple(Member(m) for m in members), officials=(),
    )  # fmt: skip


def events(database: sqlite_utils.Database) -> list[tuple]:
    """The events as an analyst sees them, without ids (which depend on the order of storing)."""
    rows = database.execute(
        "SELECT cluster_title, event_date, activities, members, source_urls, article_count FROM events_view"
    ).fetchall()
    return sorted((tuple(r) for r in rows), key=str)


def meetings(database: sqlite_utils.Database) -> list[tuple]:
    """Which reports make which meeting: cluster key, date, activities, member keys, article URLs.

    What an order of storing may change is only what is shown first (a label's first spelling, the
    order of members and URLs), so that is left out.
    """
    rows = database.execute(
        "SELECT c.key, e.event_date, e.activities, "
        "(SELECT json_group_array(u.key) FROM event_members m JOIN units u ON u.id = m.unit_id "
        "WHERE m.event_id = e.id), "
        "(SELECT json_group_array(a.canonical_url) FROM event_reports r "
        "JOIN articles a ON a.id = r.article_id WHERE r.event_id = e.id) "
        "FROM events e JOIN clusters c ON c.id = e.cluster_id"
    ).fetchall()
    return sorted(
        (
            (key, day, acts, sorted(json.loads(units)), sorted(json.loads(urls)))
            for key, day, acts, units, urls in rows
        ),
        key=str,
    )


REPORTS = {
    "a": (article("baolamdong.vn", "a", D), [cum3(D)]),
    "b": (article("lamdong.gov.vn", "b", D),
          [cum3(D, label="Cụm thi đua số 03", system="UBND tỉnh Lâm Đồng")]),
    "next": (article("baolamdong.vn", "next", D + dt.timedelta(days=1)),
             [cum3(D + dt.timedelta(days=1), members=("huyện Đức Trọng", "Huyện Lâm Hà"))]),
    "other": (article("baolamdong.vn", "other", D + dt.timedelta(days=1)),
              [cum3(D + dt.timedelta(days=1), members=("Huyện Bảo Lâm",))]),
    "undated": (article("lamdong.gov.vn", "undated", D + dt.timedelta(days=2)), [cum3(None)]),
    "late": (article("lamdong.gov.vn", "late", D + dt.timedelta(days=30)), [cum3(None)]),
    "review": (article("lamdong.gov.vn", "review", D + dt.timedelta(days=2)),
               [cum3(None, activities=("review",))]),
}  # fmt: skip


def build(tmp_path: Path, order: list[str], name: str = "t.db") -> sqlite_utils.Database:
    database = open_database(tmp_path / name)
    for slug in order:
        page, found = REPORTS[slug]
        store_article(database, page, found, extractor_version="1")
    return database


def test_the_same_meeting_from_two_sites_is_one_event(tmp_path: Path) -> None:
    database = build(tmp_path, ["a", "b"])
    assert events(database) == [
        ("Cụm thi đua số 3 — tỉnh Lâm Đồng", "2025-03-06", "signing", "Huyện Đức Trọng; Huyện Di Linh",
         "https://baolamdong.vn/a.htm https://lamdong.gov.vn/b.htm", 2),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("order", "expected_events"),
    [
        (["a", "next"], 1),  # a day apart, a member in common: one meeting
        (["a", "other"], 2),  # a day apart, no member in common: two meetings
        (["a", "undated"], 1),  # undated, published two days after, same activity
        (["a", "late"], 2),  # undated, published a month after: outside the article's window
        (["a", "review"], 2),  # undated, another activity
    ],
)
def test_matching_rules(tmp_path: Path, order: list[str], expected_events: int) -> None:
    assert len(events(build(tmp_path, order))) == expected_events


@pytest.mark.parametrize("pair", [["a", "next"], ["a", "undated"], ["a", "b"]])
def test_matching_does_not_depend_on_the_order_of_storing(tmp_path: Path, pair: list[str]) -> None:
    first, second = pair
    forward = meetings(build(tmp_path, [first, second], "ab.db"))
    backward = meetings(build(tmp_path, [second, first], "ba.db"))
    again = meetings(build(tmp_path, [first, second, first], "aba.db"))
    assert forward == backward == again
    assert len(forward) == 1 and len(forward[0][-1]) == 2


def test_an_undated_report_stored_first_joins_the_dated_event_stored_later(tmp_path: Path) -> None:
    database = build(tmp_path, ["undated", "a"])
    (row,) = events(database)
    assert row[1] == "2025-03-06" and row[-1] == 2
    assert database.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_a_systemless_cluster_3_from_two_provinces_sites_is_two_clusters(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    nghe_an = cum3(D, system=None, members=("Đơn vị A", "Đơn vị B"))
    lam_dong = cum3(D, system=None, members=("Đơn vị A", "Đơn vị B"))
    store_article(database, article("baonghean.vn", "x", D), [nghe_an], extractor_version="1")
    store_article(database, article("baolamdong.vn", "y", D), [lam_dong], extractor_version="1")
    store_article(database, article("baolamdong.vn", "z", D), [lam_dong], extractor_version="1")
    clusters = database.execute("SELECT key, system, site FROM clusters ORDER BY key").fetchall()
    assert clusters == [
        ("cụm|@baolamdong.vn|3", None, "baolamdong.vn"),
        ("cụm|@baonghean.vn|3", None, "baonghean.vn"),
    ]
    assert sorted(r[0] for r in events(database)) == [
        "Cụm thi đua số 3 — (baolamdong.vn)", "Cụm thi đua số 3 — (baonghean.vn)"
    ]  # fmt: skip


def test_units_and_people_are_keyed_within_their_province(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    tien_giang = cum3(D, system="tỉnh Tiền Giang", members=("Huyện Châu Thành", "Huyện Cái Bè"))
    an_giang = cum3(D, system="tỉnh An Giang", members=("Huyện Châu Thành", "Huyện Chợ Mới"))
    again = cum3(D + dt.timedelta(days=40), system="UBND tỉnh Tiền Giang", members=("huyện Châu Thành",))
    store_article(database, article("baotiengiang.vn", "t", D), [tien_giang], extractor_version="1")
    store_article(database, article("baoangiang.com.vn", "g", D), [an_giang], extractor_version="1")
    store_article(database, article("baotiengiang.vn", "u", D), [again], extractor_version="1")
    keys = [
        r[0] for r in database.execute("SELECT key FROM units WHERE name LIKE '%Châu Thành' ORDER BY key")
    ]
    assert keys == [
        "tỉnh an giang|huyện châu thành",
        "tỉnh đồng tháp|huyện châu thành",
    ]  # Tiền Giang is now Đồng Tháp
