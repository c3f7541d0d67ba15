"""reextract: recompute events of stored articles whose extractor version differs, with the same
inputs (text, local publication day, source URL) as a crawl."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from db import open_database, store_article
from extract.model import Event, Member
from scraper.article import Article, content_hash
from thidua.app import reextract

ICT = dt.timezone(dt.timedelta(hours=7))


def article(n: int, body: str) -> Article:
    title = f"Khối thi đua số {n} sơ kết 6 tháng"
    return Article(
        url=f"https://hcmcpv.org.vn/tin-tuc/khoi-{n}.html",
        canonical_url=f"https://hcmcpv.org.vn/tin-tuc/khoi-{n}.html",
        source="hcmcpv.org.vn",
        title=title,
        lead="",
        body=body,
        author=None,
        published=dt.datetime(2025, 7, 10, 23, 30, tzinfo=ICT),
        modified=None,
        fetched_at=dt.datetime(2025, 7, 11, 6, tzinfo=ICT),
        content_hash=content_hash(title, "", body),
    )


def khoi(n: int, day: int, members: tuple[str, ...]) -> Event:
    return Event(
        activities=("review",),
        unit_kind="khối",
        cluster_number=n,
        cluster_label=f"Khối thi đua số {n}",
        system="Thành ủy TPHCM",
        event_date=dt.date(2025, 7, day),
        date_text=f"Ngày {day}-7",
        covenant_year=2025,
        location=None,
        members=tuple(Member(m) for m in members),
        officials=(),
    )


def test_reextract_recomputes_only_other_versions(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(
        database,
        article(1, "Ngày 10-7, Khối thi đua số 1 …"),
        [khoi(1, 9, ("Quận 1",))],
        extractor_version="1",
    )
    store_article(
        database,
        article(2, "Ngày 10-7, Khối thi đua số 2 …"),
        [khoi(2, 10, ("Quận 3",))],
        extractor_version="2",
    )
    seen: list[tuple[str, dt.date | None, str | None, str | None]] = []

    def better(
        text: str, published: dt.date | None, *, source: str | None = None, site_system: str | None = None
    ) -> list[Event]:
        seen.append((text, published, source, site_system))
        return [khoi(1, 10, ("Quận 1", "Quận 4")), khoi(7, 10, ("Quận 7",))]

    result = reextract(database, extract=better, version="2")
    assert (result.articles, result.events) == (1, 2)
    assert seen == [
        (
            "Khối thi đua số 1 sơ kết 6 tháng\n\nNgày 10-7, Khối thi đua số 1 …",
            dt.date(2025, 7, 10),
            "https://hcmcpv.org.vn/tin-tuc/khoi-1.html",
            "thành phố Hồ Chí Minh",  # the site's own system (sites.toml), found from the stored URL
        )
    ]
    versions = database.execute("SELECT extractor_version, events_count FROM articles ORDER BY id").fetchall()
    assert versions == [("2", 2), ("2", 1)]
    events = database.execute(
        "SELECT c.number, e.event_date FROM events e JOIN clusters c ON c.id = e.cluster_id ORDER BY c.number"
    ).fetchall()
    # The 9 July event of the old extraction is gone; article 2's event is untouched.
    assert events == [(1, "2025-07-10"), (2, "2025-07-10"), (7, "2025-07-10")]
    assert reextract(database, extract=better, version="2") == type(result)(0, 0)


def test_reextract_force_runs_every_article(tmp_path: Path) -> None:
    database = open_database(tmp_path / "t.db")
    store_article(database, article(1, "…"), [khoi(1, 9, ("Quận 1",))], extractor_version="2")
    result = reextract(
        database, extract=lambda text, published, source=None, site_system=None: [], version="2", force=True
    )
    assert (result.articles, result.events) == (1, 0)
    assert database.execute("SELECT count(*) FROM events").fetchone()[0] == 0
