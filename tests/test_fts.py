"""Full-text search on articles, with and without diacritics, "dua" as well as "đua"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlite_utils

from db import open_database, store_article
from scraper.article import Article, content_hash

ICT = dt.timezone(dt.timedelta(hours=7))

TEXTS = {
    "ky-ket": (
        "Cụm thi đua số 3 ký kết giao ước thi đua năm 2025",
        "Đồng chí Lê Văn Hòa, Phó Chủ tịch UBND tỉnh dự và phát biểu.",
        "Sáng 6-3, tại huyện Như Thanh, các đơn vị tổ chức hội nghị.",
    ),
    "tong-ket": (
        "Khối thi đua Mặt trận, đoàn thể tổng kết công tác năm",
        "Các đơn vị trong khối hoàn thành xuất sắc nhiệm vụ.",
        "Ông Trần Văn Dũng, Trưởng ban Thi đua, trao cờ thi đua cho các đơn vị.",
    ),
    "thoi-tiet": ("Dự báo thời tiết cuối tuần", "Trời nắng nóng trên diện rộng.", "Nhiệt độ cao nhất 38 độ."),
}


def build(tmp_path: Path) -> sqlite_utils.Database:
    database = open_database(tmp_path / "t.db")
    for slug, (title, lead, body) in TEXTS.items():
        url = f"https://baothanhhoa.vn/{slug}.htm"
        article = Article(
            url, url, "baothanhhoa.vn", title, lead, body, None,
            dt.datetime(2025, 3, 7, tzinfo=ICT), None, dt.datetime(2025, 3, 7, 8, tzinfo=ICT),
            content_hash=content_hash(title, lead, body),
        )  # fmt: skip
        store_article(database, article, [], extractor_version="1")
    return database


def search(database: sqlite_utils.Database, query: str) -> list[str]:
    rows = database.execute(
        "SELECT a.canonical_url FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ? ORDER BY a.id",
        [query],
    )
    return [r[0].rsplit("/", 1)[1].removesuffix(".htm") for r in rows]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"Đồng chí"', ["ky-ket"]),
        ('"dong chi"', ["ky-ket"]),
        ('"đồng chí"', ["ky-ket"]),
        ("đua", ["ky-ket", "tong-ket"]),
        ("dua", ["ky-ket", "tong-ket"]),
        ("Dũng", ["tong-ket"]),
        ("dung", ["tong-ket"]),
        ('"to chuc hoi nghi"', ["ky-ket"]),  # two-mark letters fold with remove_diacritics 2
        ('"tổng kết"', ["tong-ket"]),
        ('"tong ket"', ["tong-ket"]),
        ("hoa", ["ky-ket"]),  # Hòa, not "hoàn"
        ("nắng", ["thoi-tiet"]),
        ('"giao uoc"', ["ky-ket"]),
        ("khen", []),
    ],
)
def test_search_with_and_without_diacritics(tmp_path: Path, query: str, expected: list[str]) -> None:
    assert search(build(tmp_path), query) == expected


def test_the_index_follows_edits_and_the_folded_column(tmp_path: Path) -> None:
    database = build(tmp_path)
    url = "https://baothanhhoa.vn/thoi-tiet.htm"
    title, lead = "Dự báo thời tiết cuối tuần", "Trời nắng nóng trên diện rộng."
    body = "Đoàn viên thanh niên ra quân hưởng ứng phong trào thi đua."
    edited = Article(
        url, url, "baothanhhoa.vn", title, lead, body, None, None, None,
        dt.datetime(2025, 3, 8, 8, tzinfo=ICT), content_hash=content_hash(title, lead, body),
    )  # fmt: skip
    store_article(database, edited, [], extractor_version="1")
    assert search(database, "dua") == ["ky-ket", "tong-ket", "thoi-tiet"]
    assert search(database, '"doan vien"') == ["thoi-tiet"]
    assert search(database, "38") == []
    folded = database.execute("SELECT folded FROM articles WHERE canonical_url = ?", [url]).fetchone()[0]
    assert "doan vien thanh nien" in folded and "đ" not in folded


def test_bookkeeping_updates_leave_the_index_alone(tmp_path: Path) -> None:
    database = build(tmp_path)

    def index_pages() -> list[tuple]:
        return database.execute("SELECT * FROM articles_fts_data ORDER BY id").fetchall()

    before = index_pages()
    database.execute("UPDATE articles SET extractor_version = '2', events_count = 0")
    assert index_pages() == before
    database.execute("UPDATE articles SET body = 'Đoàn kiểm tra chéo của khối.' WHERE id = 3")
    assert index_pages() != before
    database.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    assert search(database, '"kiem tra cheo"') == ["thoi-tiet"]
