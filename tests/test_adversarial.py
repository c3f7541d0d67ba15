"""Adversarial shapes: the extractor's time grows linearly with its input (issue 10).

Each shape is timed at size n and 4n and must take at most 6x as long at 4n (linear gives 4x, n log n
a little more; the quadratic and cubic shapes these replace gave 16x and 64x). Times are compared
by ratio, never in absolute seconds, on this thread's CPU time (another process's load does not
count in it), each size the best of three runs alternated with the other; a shape whose ratio is
over the limit is measured again, up to three times, and passes when one measurement holds. Load
only adds noise, so a retry cannot hide a quadratic shape: it gives ~16x every time. Sizes keep 4n
under the extractor's cap (``MAX_CHARS``), so that the cap is not what keeps the growth down; cheap
shapes are called several times per run, so that the 1x run lasts tens of milliseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from extract import extract_events
from extract.pipeline import MAX_CHARS
from extract.relevance import is_qa_page

RATIO = 6.0
RUNS = 3


# A timing shorter than this is mostly noise: cheap shapes are called several times per run.
FLOOR = 0.03


ATTEMPTS = 3


def _time(fn: Callable[[str], object], text: str, calls: int) -> float:
    start = time.thread_time()
    for _ in range(calls):
        fn(text)
    return time.thread_time() - start


def _grows_linearly(
    fn: Callable[[str], object], small: str, large: str, limit: float = RATIO
) -> tuple[bool, str]:
    """Whether one of ATTEMPTS measurements of ``fn`` at 1x and 4x keeps within ``limit`` times, and
    the timings seen (for the failure message)."""
    seen = []
    for _ in range(ATTEMPTS):
        t1, t4 = _ratio(fn, small, large)
        seen.append(f"{t1 * 1000:.1f} ms → {t4 * 1000:.1f} ms ({t4 / max(t1, 1e-9):.1f}x)")
        if t4 <= limit * t1:
            return True, "; ".join(seen)
    return False, "; ".join(seen)


def _ratio(fn: Callable[[str], object], small: str, large: str) -> tuple[float, float]:
    """Best of RUNS timings at 1x and at 4x, with as many calls per run as bring the 1x run over
    FLOOR. The sizes alternate within each round, so that a burst of load on the machine slows
    both alike rather than one of them."""
    once = min(_time(fn, small, 1), _time(fn, small, 1))  # the first call may be cold
    calls = max(1, int(FLOOR / max(once, 1e-6)) + 1) if once < FLOOR else 1
    t1 = t4 = float("inf")
    for _ in range(RUNS):
        t1 = min(t1, _time(fn, small, calls))
        t4 = min(t4, _time(fn, large, calls))
    return t1, t4


def _cum(n: int) -> str:
    # Repeated labels: every head used to re-read the whole sibling chain after it (n³).
    return "Cụm thi đua số 1, " * n


def _dates(n: int) -> str:
    # Each date used to search the whole sentence before it for a document or a future cue.
    return "Cụm thi đua số 1 tổ chức hội nghị. " + "Ngày 12/3/2024, " * n


def _caps(n: int) -> str:
    return "CỤM THI ĐUA SỐ 1 TỔ CHỨC HỘI NGHỊ\n" + "CỤM THI ĐUA SỐ 1 HỘI NGHỊ\n" * n


def _khoi(n: int) -> str:
    # A "Khối … và" chain: each "và" looked ahead through a copy of the rest of the sentence.
    return "Khối thi đua số 1 tổ chức hội nghị, gồm " + "Khối Sở A và " * n + "Sở B."


def _names(n: int) -> str:
    # Each name used to search the whole prefix for an honorific and its title.
    return "Cụm thi đua số 1 tổ chức hội nghị. " + "đồng chí Nguyễn Văn An, " * n


def _distinct(n: int) -> str:
    # n clusters, one meeting each: every event used to re-read the whole article.
    return "".join(f"Cụm thi đua số {i} tổ chức hội nghị tổng kết ngày 3/3/2024.\n" for i in range(n))


def _persons(n: int) -> str:
    line = "Cụm thi đua số {k} họp. Dự có ông Nguyễn Văn An, Chủ tịch UBND huyện A.\n"
    return "Cụm thi đua số 1 tổ chức hội nghị.\n" + "".join(line.format(k=i % 5 + 1) for i in range(n))


def _member_lists(n: int) -> str:
    line = "Cụm thi đua số {k} tổ chức hội nghị, gồm Sở A, Sở B và Sở C.\n"
    return "".join(line.format(k=i % 3 + 1) for i in range(n))


def _one_sentence(n: int) -> str:
    return "Cụm thi đua số 1 tổ chức hội nghị " + "tại huyện A và ông Trần Văn B " * n + "."


def _open_list(n: int) -> str:
    return "Khối thi đua số 1 tổ chức hội nghị. Khối gồm:\n" + "Sở Tư pháp\n" * n


_WORDS = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Giang",
    "Hà",
    "Khánh",
    "Lâm",
    "Minh",
    "Nam",
    "Phú",
    "Quang",
    "Sơn",
    "Tâm",
    "Vinh",
]


def _label(i: int) -> str:
    """A distinct three-word name for each i < 3375."""
    return " ".join(_WORDS[i // 15**k % 15] for k in range(3))


def _long_member_list(n: int) -> str:
    # Every item used to be matched against every member with a regex compiled per pair.
    return "Cụm thi đua số 1 tổ chức hội nghị, gồm " + ", ".join(f"Sở {_label(i)}" for i in range(n)) + "."


def _role_claims(n: int) -> str:
    claims = " ".join(f"Sở {_label(i)} làm Cụm trưởng." for i in range(n))
    return "Cụm thi đua số 1 tổ chức hội nghị. " + claims


def _distinct_labels(n: int) -> str:
    return "".join(f"Khối thi đua các đơn vị {_label(i)} tổ chức hội nghị.\n" for i in range(n))


SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "repeated cluster labels": (_cum, 250),
    "dates in one sentence": (_dates, 450),
    "all-caps lines": (_caps, 250),
    "Khối … và chain": (_khoi, 500),
    "person names in one sentence": (_names, 250),
    "distinct clusters": (_distinct, 100),
    "persons under several clusters": (_persons, 80),
    "member lists under several clusters": (_member_lists, 120),
    "places and names in one sentence": (_one_sentence, 200),
    "one unit per line": (_open_list, 600),
    "long member list": (_long_member_list, 150),
    "role claims": (_role_claims, 150),
    "distinct unnumbered labels": (_distinct_labels, 60),
}


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    # The first call loads underthesea and the gazetteer: keep it out of the timings.
    extract_events("Ngày 3/3, Cụm thi đua số 1 tổ chức hội nghị tại huyện A.")


@pytest.mark.parametrize("name", list(SHAPES))
def test_extraction_grows_linearly(name: str) -> None:
    make, n = SHAPES[name]
    small, large = make(n), make(4 * n)
    assert len(large) <= MAX_CHARS, "the cap would hide the growth"
    linear, seen = _grows_linearly(extract_events, small, large)
    assert linear, f"{name} (n={n} and 4n): {seen}"


def test_qa_check_is_linear_in_blank_lines() -> None:
    # "\n" * 100k before one sentence took 403 s: a \s* after each newline crossed all the others.
    n = 200_000
    linear, seen = _grows_linearly(
        is_qa_page, "\n" * n + "Cụm thi đua số 1 họp.", "\n" * (4 * n) + "Cụm thi đua số 1 họp."
    )
    assert linear, seen
    assert is_qa_page("\n\n\n  Hỏi: cụm thi đua là gì?")
    assert not is_qa_page("\n" * 1000 + "Cụm thi đua số 1 họp.")


def test_text_beyond_the_cap_is_not_read() -> None:
    # A page four times the cap costs what the cap costs (it is cut, at a line break).
    block = "Ngày 3/3, Cụm thi đua số 1 tổ chức hội nghị tại huyện A, ông Nguyễn Văn An dự.\n"
    at_cap = block * (MAX_CHARS // len(block))
    cut, seen = _grows_linearly(extract_events, at_cap, at_cap * 4, limit=2)
    assert cut, seen
    late = "\n" * MAX_CHARS + "Ngày 3/3, Cụm thi đua số 1 tổ chức hội nghị tổng kết."
    assert extract_events(late) == []
    assert extract_events(late.lstrip("\n"))[0].cluster_number == 1
