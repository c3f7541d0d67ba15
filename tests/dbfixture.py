"""A small thidua database for the Datasette tests, built through the db API like the crawler would.

Three clusters over two years: "Cụm thi đua số 3" of the Ban Tuyên giáo Thành ủy TPHCM (signing in
March 2024; review + signing on 12/3/2025, reported by two newspapers), the "Khối thi đua các cơ quan
Đảng tỉnh" of Thanh Hóa (review in December 2024, launch in April 2025, its leader changes) and
"Cụm thi đua số 9" of the Liên hiệp Hội Việt Nam (one meeting with no date). Two runs, the latest with
one error. The sentences are ours, in the shape of real reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from db import RunError, finish_run, open_database, start_run, store_article, upsert_sources
from extract.model import Event, Member, Official
from scraper.article import content_hash

VN = dt.timezone(dt.timedelta(hours=7))
EXTRACTOR_VERSION = "fixture-1"

HCM = "Ban Tuyên giáo Thành ủy TPHCM"
THANH_HOA = "tỉnh Thanh Hóa"
LHH = "Liên hiệp Hội Việt Nam"
CUM_3 = "Cụm thi đua số 3"
KHOI_DANG = "Khối thi đua các cơ quan Đảng tỉnh"
CUM_9 = "Cụm thi đua số 9"


@dataclass(frozen=True)
class FixtureArticle:
    """The fields of ``db.store.ArticleLike``, filled by hand."""

    url: str
    canonical_url: str
    source: str
    title: str
    lead: str
    body: str
    author: str | None
    published: dt.datetime | None
    modified: dt.datetime | None
    fetched_at: dt.datetime | None
    language: str = "vi"
    content_hash: str = ""
    captions: tuple[str, ...] = ()
    site: str | None = None

    @property
    def text(self) -> str:
        """Title, lead and body joined by blank lines."""
        return "\n\n".join(part for part in (self.title, self.lead, self.body) if part)


@dataclass(frozen=True)
class FixtureSource:
    """A configured site, as ``upsert_sources`` reads it."""

    name: str
    hosts: tuple[str, ...]
    start: tuple[str, ...]


SOURCES = (
    FixtureSource("tinhcm", ("tinhcm.example",), ("https://tinhcm.example/rss/chinh-tri.rss",)),
    FixtureSource("laodongso", ("laodongso.example",), ("https://laodongso.example/sitemap.xml",)),
    FixtureSource("baothanh", ("baothanh.example",), ("https://baothanh.example/thoi-su/",)),
    FixtureSource("khoahocvn", ("khoahocvn.example",), ("https://khoahocvn.example/tin-tuc/",)),
)

ERROR_URL = "https://baothanh.example/thoi-su/bai-viet-loi-503.html"
ERROR_MESSAGE = "HTTP 503 Service Unavailable after 3 attempts"


def _article(
    site: str, host: str, path: str, title: str, lead: str, body: str, published: dt.datetime
) -> FixtureArticle:
    url = f"https://{host}/{path}"
    return FixtureArticle(
        url=url,
        canonical_url=url,
        source=host,
        title=title,
        lead=lead,
        body=body,
        author="Minh Châu",
        published=published,
        modified=None,
        fetched_at=published + dt.timedelta(hours=5),
        content_hash=content_hash(title, lead, body),
        site=site,
    )


def _cum3(
    date: dt.date,
    date_text: str,
    activities: tuple[str, ...],
    covenant: int,
    location: str,
    label: str,
    members: tuple[Member, ...],
    officials: tuple[Official, ...],
) -> Event:
    return Event(activities, "cụm", 3, label, HCM, date, date_text, covenant, location, members, officials)


CUM3_2024 = _cum3(
    dt.date(2024, 3, 6),
    "Ngày 6-3",
    ("signing",),
    2024,
    "Quận ủy Gò Vấp",
    CUM_3,
    (Member("Quận Gò Vấp", "cụm trưởng"), Member("Quận 12", "cụm phó"), Member("Huyện Hóc Môn")),
    (
        Official("Nguyễn Thị Lan", "Phó Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
        Official("Trần Văn Hùng", "Trưởng Ban Tuyên giáo Quận ủy Gò Vấp"),
    ),
)
CUM3_2025 = _cum3(
    dt.date(2025, 3, 12),
    "Sáng 12/3",
    ("review", "signing"),
    2025,
    "Huyện ủy Hóc Môn",
    CUM_3,
    (Member("Quận 12", "cụm trưởng"), Member("Huyện Hóc Môn", "cụm phó"), Member("Quận Gò Vấp")),
    (
        Official("Nguyễn Thị Lan", "Trưởng Ban Tuyên giáo Thành ủy TPHCM"),
        Official("Phạm Minh Tuấn", "Bí thư Quận ủy Quận 12"),
    ),
)
# The same meeting in another paper: another spelling of the label, one more member named.
CUM3_2025_OTHER = _cum3(
    dt.date(2025, 3, 12),
    "Ngày 12-3",
    ("signing", "review"),
    2025,
    "Hóc Môn",
    "Cụm thi đua 3",
    (Member("Quận 12", "cụm trưởng"), Member("Huyện Hóc Môn", "cụm phó"), Member("Huyện Củ Chi")),
    (Official("Nguyễn Thị Lan", "Trưởng Ban Tuyên giáo Thành ủy TPHCM"),),
)
KHOI_2024 = Event(
    ("review",),
    "khối",
    None,
    KHOI_DANG,
    THANH_HOA,
    dt.date(2024, 12, 20),
    "Chiều 20/12",
    2024,
    "Văn phòng Tỉnh ủy Thanh Hóa",
    (
        Member("Văn phòng Tỉnh ủy", "khối trưởng"),
        Member("Ban Tổ chức Tỉnh ủy"),
        Member("Ban Dân vận Tỉnh ủy"),
    ),
    (Official("Lê Văn Minh", "Phó Bí thư Thường trực Tỉnh ủy"),),
)
KHOI_2025 = Event(
    ("launch",),
    "khối",
    None,
    KHOI_DANG,
    THANH_HOA,
    dt.date(2025, 4, 15),
    "Chiều 15/4",
    2025,
    "Ban Tổ chức Tỉnh ủy Thanh Hóa",
    (
        Member("Ban Tổ chức Tỉnh ủy", "khối trưởng"),
        Member("Ban Dân vận Tỉnh ủy", "khối phó"),
        Member("Văn phòng Tỉnh ủy"),
    ),
    (
        Official("Lê Văn Minh", "Phó Bí thư Thường trực Tỉnh ủy"),
        Official("Đỗ Thị Hoà", "Trưởng Ban Tổ chức Tỉnh ủy"),
    ),
)
CUM9_UNDATED = Event(
    ("review",),
    "cụm",
    9,
    CUM_9,
    LHH,
    None,
    None,
    2024,
    None,
    (Member("Liên hiệp Hội tỉnh Nghệ An", "cụm trưởng"), Member("Liên hiệp Hội tỉnh Hà Tĩnh")),
    (Official("Phạm Quốc Bảo", "Phó Chủ tịch Liên hiệp Hội Việt Nam"),),
)

ARTICLES: tuple[tuple[FixtureArticle, tuple[Event, ...]], ...] = (
    (
        _article(
            "tinhcm",
            "tinhcm.example",
            "2024/03/cum-thi-dua-so-3-ky-ket-giao-uoc-2024.html",
            "Cụm thi đua số 3 ký kết giao ước thi đua năm 2024",
            "Ngày 6-3, Cụm thi đua số 3 thuộc Ban Tuyên giáo Thành ủy TPHCM tổ chức ký kết giao ước thi đua.",
            "Cụm gồm Ban Tuyên giáo Quận ủy Gò Vấp (cụm trưởng), Quận 12 và Huyện Hóc Môn. Đồng chí "
            "Nguyễn Thị Lan dự và phát biểu.",
            dt.datetime(2024, 3, 7, 8, 30, tzinfo=VN),
        ),
        (CUM3_2024,),
    ),
    (
        _article(
            "baothanh",
            "baothanh.example",
            "thoi-su/khoi-thi-dua-co-quan-dang-tong-ket-2024.html",
            "Khối thi đua các cơ quan Đảng tỉnh tổng kết công tác thi đua năm 2024",
            "Chiều 20/12, Khối thi đua các cơ quan Đảng tỉnh Thanh Hóa tổng kết phong trào thi đua.",
            "Đồng chí Lê Văn Minh, Phó Bí thư Thường trực Tỉnh ủy dự hội nghị.",
            dt.datetime(2024, 12, 21, 9, 0, tzinfo=VN),
        ),
        (KHOI_2024,),
    ),
    (
        _article(
            "khoahocvn",
            "khoahocvn.example",
            "tin-tuc/cum-thi-dua-so-9-tong-ket.html",
            "Cụm thi đua số 9 tổng kết công tác thi đua, khen thưởng",
            "Cụm thi đua số 9 của Liên hiệp Hội Việt Nam vừa tổ chức hội nghị tổng kết năm 2024.",
            "Ông Phạm Quốc Bảo, Phó Chủ tịch Liên hiệp Hội Việt Nam dự và chỉ đạo hội nghị.",
            dt.datetime(2024, 12, 28, 15, 0, tzinfo=VN),
        ),
        (CUM9_UNDATED,),
    ),
    (
        _article(
            "tinhcm",
            "tinhcm.example",
            "2025/03/cum-thi-dua-so-3-tong-ket-2024-ky-ket-2025.html",
            "Cụm thi đua số 3 tổng kết năm 2024, ký kết giao ước năm 2025",
            "Sáng 12/3, Cụm thi đua số 3 tổng kết công tác thi đua năm 2024 và ký kết giao ước năm 2025.",
            "Quận 12 giữ vai trò cụm trưởng năm 2025. Dự có đồng chí Nguyễn Thị Lan và đồng chí "
            "Phạm Minh Tuấn.",
            dt.datetime(2025, 3, 13, 7, 15, tzinfo=VN),
        ),
        (CUM3_2025,),
    ),
    (
        _article(
            "laodongso",
            "laodongso.example",
            "cong-doan/ban-tuyen-giao-cum-3-ky-giao-uoc-2025.html",
            "Các quận, huyện Cụm thi đua 3 ký giao ước thi đua 2025",
            "Ngày 12-3, tại Hóc Môn, Cụm thi đua 3 – Ban Tuyên giáo Thành ủy TPHCM ký giao ước thi đua.",
            "Bà Nguyễn Thị Lan, Trưởng Ban Tuyên giáo Thành ủy TPHCM trao cờ cho Quận 12.",
            dt.datetime(2025, 3, 13, 10, 40, tzinfo=VN),
        ),
        (CUM3_2025_OTHER,),
    ),
    (
        _article(
            "baothanh",
            "baothanh.example",
            "thoi-su/khoi-thi-dua-co-quan-dang-phat-dong-2025.html",
            "Khối thi đua các cơ quan Đảng tỉnh phát động thi đua năm 2025",
            "Chiều 15/4, Khối thi đua các cơ quan Đảng tỉnh phát động phong trào thi đua năm 2025.",
            "Ban Tổ chức Tỉnh ủy là khối trưởng năm 2025; đồng chí Đỗ Thị Hoà phát biểu.",
            dt.datetime(2025, 4, 16, 6, 0, tzinfo=VN),
        ),
        (KHOI_2025,),
    ),
)


def build_fixture_db(path: Path) -> Path:
    """Create the fixture database at ``path`` (a new file) through the db API and return ``path``."""
    database = open_database(path)
    try:
        upsert_sources(database, SOURCES)
        first_start = dt.datetime(2025, 4, 16, 1, 0, tzinfo=dt.UTC)
        first = start_run(database, command="crawl", sites=[s.name for s in SOURCES], now=first_start)
        for article, events in ARTICLES:
            store_article(database, article, events, extractor_version=EXTRACTOR_VERSION)
        finish_run(
            database,
            first,
            status="ok",
            counts={"fetched": 6, "articles": 6, "events": 5},
            errors=[],
            now=first_start + dt.timedelta(minutes=12),
        )
        second_start = dt.datetime(2025, 4, 17, 1, 0, tzinfo=dt.UTC)
        second = start_run(database, command="crawl", sites=["baothanh"], now=second_start)
        finish_run(
            database,
            second,
            status="ok",
            counts={"fetched": 3, "articles": 0, "events": 0},
            errors=[RunError("baothanh", ERROR_URL, "http", ERROR_MESSAGE)],
            now=second_start + dt.timedelta(minutes=3),
        )
    finally:
        database.close()
    return path
