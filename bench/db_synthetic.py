"""Synthetic events for the db benches: fixture-shaped, made up by us, the same for every run.

~200 clusters (10 provinces × 15 cụm + 5 khối), 6 member units (leader rotating yearly), 3
officials, dates over 2018–2026 (5% undated); articles report 1–2 events and one event in ten is
reported by a second article. ``synthetic_articles(100_000)`` → (Article, [Event]) pairs.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extract.model import Event, Member, Official
from scraper.article import Article, content_hash
from scraper.timezone import VN_TZ

PROVINCES = ("Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Lâm Đồng", "Đắk Lắk", "Bình Định", "Phú Yên",
             "Khánh Hòa", "Ninh Bình")  # fmt: skip
FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
)
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Công")
GIVEN = (
    "Hòa",
    "Lan",
    "Dũng",
    "Hùng",
    "Mai",
    "Tuấn",
    "Hương",
    "Thắng",
    "Bình",
    "Sơn",
    "Hà",
    "Long",
    "Phúc",
    "Tâm",
)
TITLES = ("Phó Chủ tịch UBND tỉnh", "Trưởng ban Thi đua - Khen thưởng tỉnh", "Phó Giám đốc Sở Nội vụ",
          "Bí thư Huyện ủy", "Chủ tịch UBND huyện")  # fmt: skip
ACTIVITY_SETS = (
    ("signing",),
    ("review",),
    ("review", "signing"),
    ("launch",),
    ("signing", "launch"),
    ("other",),
)


def clusters() -> list[tuple[str, int, str, str, list[str]]]:
    """(kind, number, label, system, member pool) for 200 clusters."""
    out = []
    for p_index, province in enumerate(PROVINCES):
        for kind, count in (("cụm", 15), ("khối", 5)):
            for n in range(1, count + 1):
                label = f"{kind.capitalize()} thi đua số {n}"
                pool = [f"Huyện {province} {p_index}-{kind}-{n}-{k}" for k in range(8)]
                if kind == "khối":
                    pool = [f"Sở {province} {p_index}-{n}-{k}" for k in range(8)]
                out.append((kind, n, label, f"tỉnh {province}", pool))
    return out


def people(rng: random.Random, count: int = 600) -> list[str]:
    """Distinct Vietnamese full names."""
    names: set[str] = set()
    while len(names) < count:
        names.add(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {rng.choice(GIVEN)}")
    return sorted(names)


def synthetic_events(total: int, seed: int = 4) -> Iterator[Event]:
    """``total`` distinct events (distinct cluster + date, or undated), fixture-shaped."""
    rng = random.Random(seed)
    pools = clusters()
    officials = people(rng)
    start, days = dt.date(2018, 1, 1), (dt.date(2026, 12, 31) - dt.date(2018, 1, 1)).days
    seen: set[tuple[int, dt.date]] = set()
    made = 0
    while made < total:
        index = rng.randrange(len(pools))
        kind, number, label, system, pool = pools[index]
        day: dt.date | None = start + dt.timedelta(days=rng.randrange(days + 1))
        if rng.random() < 0.05:
            day = None
        elif any((index, day + dt.timedelta(days=d)) in seen for d in (-1, 0, 1)):  # type: ignore[operator]
            continue  # a day apart, with members in common, is one meeting (db.events): keep them distinct
        else:
            seen.add((index, day))  # type: ignore[arg-type]
        year = day.year if day else 2018 + rng.randrange(9)
        leader = pool[year % len(pool)]
        others = rng.sample([u for u in pool if u != leader], 5)
        role = "cụm trưởng" if kind == "cụm" else "khối trưởng"
        made += 1
        yield Event(
            activities=rng.choice(ACTIVITY_SETS),
            unit_kind=kind,
            cluster_number=number,
            cluster_label=label,
            system=system,
            event_date=day,
            date_text=f"Sáng {day.day}/{day.month}" if day else None,
            covenant_year=year,
            location=f"Hội trường {leader}",
            members=(Member(leader, role), *(Member(u) for u in others)),
            officials=tuple(Official(n, rng.choice(TITLES)) for n in rng.sample(officials, 3)),
        )


def synthetic_articles(total_events: int, seed: int = 4) -> Iterator[tuple[Article, list[Event]]]:
    """Articles reporting the synthetic events: 1–2 events each, one dated event in ten reported twice."""
    rng = random.Random(seed + 1)
    pending: list[Event] = []
    n = 0
    for event in synthetic_events(total_events, seed):
        pending.append(event)
        if len(pending) < (2 if rng.random() < 0.2 else 1):
            continue
        batch, pending = pending, []
        reports = [batch]
        if rng.random() < 0.1 and batch[0].event_date:
            reports.append([batch[0]])  # a second newspaper reports the first meeting
        for events in reports:
            n += 1
            yield article(n, events), events
    if pending:
        yield article(n + 1, pending), pending


def article(n: int, events: list[Event]) -> Article:
    """A short article about ``events``."""
    first = events[0]
    day = first.event_date or dt.date(first.covenant_year or 2020, 6, 1)
    title = f"{first.cluster_label} {first.system} tổ chức hội nghị"
    lead = f"{first.date_text or 'Mới đây'}, {first.cluster_label} {first.system} tổ chức hội nghị thi đua."
    body = " ".join(f"Tham dự có đồng chí {o.name}, {o.title}." for e in events for o in e.officials)
    url = f"https://bao{n % 7}.vn/tin-{n}.htm"
    published = dt.datetime(day.year, day.month, day.day, 15, tzinfo=VN_TZ)
    return Article(url, url, f"bao{n % 7}.vn", title, lead, body, "PV", published, None,
                   published + dt.timedelta(hours=10), content_hash=content_hash(title, lead, body),
                   site=f"bao{n % 7}")  # fmt: skip
