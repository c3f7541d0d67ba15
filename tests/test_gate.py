"""extract.gate: the relevance gate's test, shared with extraction's idea of a cluster mention."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from extract.gate import fold_for_matching, names_a_cluster

ROOT = Path(__file__).resolve().parents[1]
# Beside the checkout; a worktree sits one level deeper, so look up the tree (as bench/extract_bench.py).
DEV_REPORTS = next(
    (d for d in (p / "shared" / "dev-reports" for p in ROOT.parents) if d.is_dir()),
    ROOT.parent / "shared" / "dev-reports",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cụm thi đua số 3 tổng kết năm 2025", True),
        ("/tin-tuc/cum-thi-dua-so-3-tong-ket-nam-2025-1491.htm", True),
        ("CỤM THI ĐUA SỐ 2 GIAO BAN", True),
        ("Khối thi đua các cơ quan Đảng tỉnh phát động thi đua", True),
        ("Cụm Hội LHPN các tỉnh miền Đông ký kết giao ước", True),
        ("Khối ANND Công an tỉnh tổng kết công tác năm", True),
        ("Khối Nội chính tỉnh tổng kết công tác thi đua khen thưởng", True),
        ("Cụm 5 sơ kết 6 tháng đầu năm", True),
        ("Hội nghị ký kết giao ước thi đua năm 2026", True),
        ("Cụm thi dua so 4 ky ket", True),  # typed without accents
        ("\u00d0ồng chí Cụm trưởng phát biểu", True),  # Ð (U+00D0) for Đ
        # Not cluster news: neighbourhoods, industrial parks, volumes, machinery
        ("Khối phố 5 ra quân dọn vệ sinh môi trường", False),
        ("Thanh Hóa: kỳ vọng từ các cụm công nghiệp", False),
        ("Khối lượng công việc lớn trong quý IV", False),
        ("Cụm máy số hai của nhà máy thủy điện được đại tu", False),
        ("Giá vàng hôm nay tăng mạnh", False),
        ("Khối Hội trưởng", False),  # a body word but no meeting
    ],
)
def test_names_a_cluster(text: str, expected: bool) -> None:
    assert names_a_cluster(text) is expected


def test_folding_reads_slugs_as_titles() -> None:
    assert fold_for_matching("Cụm Thi Đua số 3") == "cum thi dua so 3"
    assert fold_for_matching("cum-thi-dua-so-3.htm") == "cum thi dua so 3 htm"
    assert fold_for_matching("ĐỒNG CHÍ") == fold_for_matching("đồng chí") == "dong chi"


def gate_sees(text: str, url: str | None = None) -> bool:
    """What the crawl's gate sees of an article: the title (first line), the lead, the slug."""
    lines = [line for line in text.splitlines() if line.strip()]
    slug = unquote(urlsplit(url).path) if url else ""
    return any(names_a_cluster(part) for part in (lines[0], " ".join(lines[1:4]), slug) if part)


def test_gate_recall_on_the_fixture_corpus() -> None:
    relevant = 0
    missed = []
    for expected_file in sorted((ROOT / "fixtures" / "articles").glob("*.json")):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        events = expected.get("events") if isinstance(expected, dict) else expected
        if not events:
            continue
        relevant += 1
        if not gate_sees(expected_file.with_suffix(".txt").read_text(encoding="utf-8")):
            missed.append(expected_file.name)
    assert missed == []
    assert relevant > 50


@pytest.mark.skipif(not DEV_REPORTS.is_dir(), reason="../shared/dev-reports is not beside this checkout")
def test_gate_recall_on_the_dev_reports() -> None:
    missed = []
    for path in sorted(DEV_REPORTS.glob("d*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        if report["relevant"] and not gate_sees(report["text"], report["url"]):
            missed.append(report["id"])
    assert missed == []


@pytest.mark.parametrize(
    "text",
    ["Cụm Thi Đua số 3", "CỤM THI ĐUA", "cum-thi-dua-so-3.htm", "Khối \u00d0oàn", "Hòa Bình – Sơn La", ""],
)
def test_the_gate_folds_as_the_scraper_does(text: str) -> None:
    """extract and scraper may not import each other, so each has the accent fold it needs:
    extract.gate.fold_for_matching and scraper.text.ascii_words must stay one function in two places."""
    from scraper.text import ascii_words

    assert fold_for_matching(text) == ascii_words(text)
